// Issue 5 acceptance: the planner captures at least 90 % of the oracle's savings on the test data and its
// load forecast beats naive persistence. Slow (a full 118-day MPC replay).
#include <cstdlib>

#include <gtest/gtest.h>

#include "backtest.hpp"
#include "test_support.hpp"

using namespace hepek::planner;

TEST(BacktestAcceptance, NlPricesAusgridHome118Days) {
  const std::string data = hepek::testing::testdata_dir() + "/";
  const std::vector<std::string> args = {"--prices",
                                         data + "prices/nl_day_ahead_2023_hourly.csv",
                                         "--household",
                                         data + "household/ausgrid_home12_retimed_2023_jul_nov_30min.csv",
                                         "--battery-kwh",
                                         "10",
                                         "--battery-kw",
                                         "5",
                                         "--battery-efficiency",
                                         "0.9",
                                         "--import-fee",
                                         "100",
                                         "--export-price-file",
                                         data + "prices/nl_day_ahead_2023_hourly.csv",
                                         "--from",
                                         "2023-08-01",
                                         "--days",
                                         "118",
                                         "--json"};
  const auto result = run_backtest(parse_backtest_arguments(args, nullptr));
  std::cout << result.dump() << "\n";
  EXPECT_GE(result.at("savings_captured").get<double>(), 0.90);
  EXPECT_LT(result.at("forecast").at("load_mae_w").get<double>(),
            result.at("forecast").at("load_mae_naive_w").get<double>());
  EXPECT_LT(result.at("cost_planner_eur").get<double>(), result.at("cost_rule_based_eur").get<double>());
}
