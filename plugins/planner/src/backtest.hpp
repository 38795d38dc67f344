// `hepek backtest`: an honest replay of the planner over recorded prices and household data (issue 5).
//
// Contract: learns from household data before `from`, then steps through [from, from + days) at the finer of
// the two resolutions. At each step it sees only the past household data and the prices published so far
// (day-ahead: at 13:00 in the price file's UTC offset the whole next day, before that the rest of today),
// with day types in --timezone (default: the price file's offsets),
// re-plans with the same forecaster and optimiser as the live plugin, runs the first step against the real
// data, and learns online. It scores no battery, the self-consumption rule, the planner and the oracle (the
// same optimiser, with the same valuation of energy left at the end as every MPC solve, over the whole window
// with true data). With `monthly` it adds a per-month table and the strict oracle (free to empty the battery
// at the very end) for transparency. Money is accumulated in integer micro-euros. Throws
// std::invalid_argument / CsvError with a clear message on bad options or data that do not cover the window.
// Not thread-safe (one run at a time per object).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "forecaster.hpp"
#include "planning_problem.hpp"

namespace hepek::planner {

struct BacktestOptions {
  std::string prices_file;
  std::string household_file;
  double battery_kwh = 0;
  double battery_kw = 0;
  double round_trip_efficiency = 0.9;
  std::optional<double> soc_start_kwh;  // default: half capacity
  double wear_eur_per_mwh = 0;
  std::optional<double> grid_import_max_kw;
  double import_fee_eur_per_mwh = 0;
  enum class Export { fixed, file, none } export_mode = Export::fixed;
  double export_price_eur_per_mwh = 0;
  std::string export_price_file;
  double pv_scale = 1.0;
  std::string from;  // date (midnight in the price file's offset, or in `timezone`) or date-time with offset
  // IANA zone of the home for day types, times of day, the --from date and the months. Empty (the default):
  // the UTC offsets written in the price file, which for the shipped NL data are Europe/Amsterdam's.
  std::string timezone;
  int days = 0;
  // Planner settings (defaults are what the live plugin uses).
  double horizon_hours = 48;
  int soc_levels = 200;
  size_t load_quantiles = 1;  // forecast uncertainty scenarios (1 = plan on the point forecast only)
  size_t pv_quantiles = 3;
  PvModel pv_model = PvModel::profile;
  double latitude_deg = 52.37, longitude_deg = 4.90;
  bool monthly = false;
};

// Parses the command's arguments (without the command name). Throws std::invalid_argument naming the bad flag.
BacktestOptions parse_backtest_arguments(const std::vector<std::string>& args, bool* json_output);

nlohmann::json run_backtest(const BacktestOptions& options);

}  // namespace hepek::planner
