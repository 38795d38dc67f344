#include "backtest_command.hpp"

#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include "backtest.hpp"

namespace hepek::planner {

int backtest_command(const hepek::CommandContext& /*context*/, const std::vector<std::string>& args) {
  try {
    bool json_output = false;
    const BacktestOptions options = parse_backtest_arguments(args, &json_output);
    const nlohmann::json result = run_backtest(options);
    if (json_output) {
      fmt::print("{}\n", result.dump());
    } else {
      fmt::print("{} days, {} steps, {} household gaps filled\n", result["days"].get<int>(),
                 result["steps"].get<int>(), result["gaps_filled"].get<int>());
      fmt::print("cost without battery {:>10.2f} EUR\n", result["cost_no_battery_eur"].get<double>());
      fmt::print("cost rule-based      {:>10.2f} EUR\n", result["cost_rule_based_eur"].get<double>());
      fmt::print("cost planner         {:>10.2f} EUR\n", result["cost_planner_eur"].get<double>());
      fmt::print("cost oracle          {:>10.2f} EUR\n", result["cost_oracle_eur"].get<double>());
      fmt::print("savings captured     {:>10.1f} %\n", result["savings_captured"].get<double>() * 100);
      fmt::print("(use --json for the machine-readable result)\n");
    }
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "hepek backtest: %s\n", error.what());
    std::fprintf(
        stderr,
        "usage: hepek backtest --prices P.csv --household H.csv --battery-kwh X --battery-kw X "
        "[--battery-efficiency X] [--soc-start-kwh X] [--battery-wear-eur-per-mwh X] [--grid-import-max-kw "
        "X] "
        "[--import-fee EUR_PER_MWH] [--export-price EUR_PER_MWH | --export-price-file F.csv | --no-export] "
        "[--pv-scale X] [--timezone ZONE] --from ISO-8601 --days N --json [--monthly]\n");
    return 2;
  }
}

}  // namespace hepek::planner
