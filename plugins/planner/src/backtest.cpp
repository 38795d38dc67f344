#include "backtest.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include <hepek/timeseries/household_series.hpp>
#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>
#include <hepek/timeseries/price_series.hpp>
#include <hepek/timeseries/zone_clock.hpp>

#include "dp_optimizer.hpp"
#include "mpc_policy.hpp"
#include "rule_based.hpp"
#include "step_cost.hpp"

namespace hepek::planner {

using namespace hepek::timeseries;  // the shared time and CSV vocabulary
namespace {

// ---- arguments -------------------------------------------------------------------------------------------------

double parse_number(const std::string& flag, const std::string& text) {
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !std::isfinite(value))
    throw std::invalid_argument(fmt::format("{} expects a number, got '{}'", flag, text));
  return value;
}

double positive(const std::string& flag, double value) {
  if (value <= 0) throw std::invalid_argument(fmt::format("{} must be positive", flag));
  return value;
}

// ---- money ---------------------------------------------------------------------------------------------------

// Integer micro-euros: sums of many small step costs stay exact and reproducible.
class Ledger {
 public:
  void add(double eur) { micro_ += std::llround(eur * 1e6); }
  int64_t micro() const { return micro_; }
  double eur() const { return static_cast<double>(micro_) / 1e6; }

 private:
  int64_t micro_ = 0;
};

double round_cents(double eur) {
  return std::round(eur * 100.0) / 100.0;
}

double savings_captured(const Ledger& none, const Ledger& strategy, const Ledger& oracle) {
  const int64_t best = none.micro() - oracle.micro();
  if (best <= 0) return 0;
  return std::round(static_cast<double>(none.micro() - strategy.micro()) / static_cast<double>(best) * 1e4) /
         1e4;
}

struct MonthTotals {
  Ledger none, rule, planner, oracle;
};

double percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const size_t below = static_cast<size_t>(position);
  const size_t above = std::min(values.size() - 1, below + 1);
  return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

}  // namespace

BacktestOptions parse_backtest_arguments(const std::vector<std::string>& args, bool* json_output) {
  BacktestOptions options;
  bool export_chosen = false;
  auto choose_export = [&](const std::string& flag) {
    if (export_chosen)
      throw std::invalid_argument(
          fmt::format("{}: choose only one of --export-price, --export-price-file, --no-export", flag));
    export_chosen = true;
  };
  if (json_output) *json_output = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) throw std::invalid_argument(fmt::format("{} needs a value", flag));
      return args[++i];
    };
    if (flag == "--prices")
      options.prices_file = value();
    else if (flag == "--household")
      options.household_file = value();
    else if (flag == "--battery-kwh")
      options.battery_kwh = parse_number(flag, value());
    else if (flag == "--battery-kw")
      options.battery_kw = parse_number(flag, value());
    else if (flag == "--battery-efficiency")
      options.round_trip_efficiency = parse_number(flag, value());
    else if (flag == "--soc-start-kwh")
      options.soc_start_kwh = parse_number(flag, value());
    else if (flag == "--battery-wear-eur-per-mwh")
      options.wear_eur_per_mwh = parse_number(flag, value());
    else if (flag == "--grid-import-max-kw")
      options.grid_import_max_kw = positive(flag, parse_number(flag, value()));
    else if (flag == "--import-fee")
      options.import_fee_eur_per_mwh = parse_number(flag, value());
    else if (flag == "--export-price") {
      choose_export(flag);
      options.export_mode = BacktestOptions::Export::fixed;
      options.export_price_eur_per_mwh = parse_number(flag, value());
    } else if (flag == "--export-price-file") {
      choose_export(flag);
      options.export_mode = BacktestOptions::Export::file;
      options.export_price_file = value();
    } else if (flag == "--no-export") {
      choose_export(flag);
      options.export_mode = BacktestOptions::Export::none;
    } else if (flag == "--pv-scale")
      options.pv_scale = parse_number(flag, value());
    else if (flag == "--from")
      options.from = value();
    else if (flag == "--days") {
      const double days = parse_number(flag, value());
      if (days < 1 || days != std::floor(days) || days > 3660)
        throw std::invalid_argument("--days must be a whole number of days from 1 to 3660");
      options.days = static_cast<int>(days);
    } else if (flag == "--json") {
      if (json_output) *json_output = true;
    } else if (flag == "--monthly")
      options.monthly = true;
    else if (flag == "--horizon-hours")
      options.horizon_hours = positive(flag, parse_number(flag, value()));
    else if (flag == "--load-quantiles")
      options.load_quantiles = static_cast<size_t>(positive(flag, parse_number(flag, value())));
    else if (flag == "--pv-quantiles")
      options.pv_quantiles = static_cast<size_t>(positive(flag, parse_number(flag, value())));
    else if (flag == "--soc-levels")
      options.soc_levels = static_cast<int>(positive(flag, parse_number(flag, value())));
    else if (flag == "--pv-model") {
      const std::string& model = value();
      if (model == "profile")
        options.pv_model = PvModel::profile;
      else if (model == "clearsky")
        options.pv_model = PvModel::clear_sky;
      else
        throw std::invalid_argument("--pv-model is 'profile' or 'clearsky', got '" + model + "'");
    } else if (flag == "--latitude")
      options.latitude_deg = parse_number(flag, value());
    else if (flag == "--longitude")
      options.longitude_deg = parse_number(flag, value());
    else if (flag == "--timezone") {
      options.timezone = value();
      find_zone(options.timezone);  // refuses an unknown zone here, naming it
    } else
      throw std::invalid_argument(fmt::format("unknown option '{}'", flag));
  }
  if (options.prices_file.empty()) throw std::invalid_argument("--prices P.csv is required");
  if (options.household_file.empty()) throw std::invalid_argument("--household H.csv is required");
  if (options.from.empty()) throw std::invalid_argument("--from DATE is required");
  if (options.days == 0) throw std::invalid_argument("--days N is required");
  positive("--battery-kwh", options.battery_kwh);
  positive("--battery-kw", options.battery_kw);
  if (options.round_trip_efficiency <= 0 || options.round_trip_efficiency > 1)
    throw std::invalid_argument("--battery-efficiency is a round-trip fraction in (0, 1]");
  if (options.soc_start_kwh && (*options.soc_start_kwh < 0 || *options.soc_start_kwh > options.battery_kwh))
    throw std::invalid_argument("--soc-start-kwh must lie between 0 and --battery-kwh");
  if (options.wear_eur_per_mwh < 0)
    throw std::invalid_argument("--battery-wear-eur-per-mwh must not be negative");
  if (options.pv_scale < 0) throw std::invalid_argument("--pv-scale must not be negative");
  return options;
}

nlohmann::json run_backtest(const BacktestOptions& options) {
  const PriceSeries spot = read_price_csv_file(options.prices_file);
  HouseholdSeries household = read_household_csv_file(options.household_file);
  std::optional<PriceSeries> export_file;
  if (options.export_mode == BacktestOptions::Export::file)
    export_file = read_price_csv_file(options.export_price_file);

  // The window.
  // The home's clock: the zone given, or the offsets the price file writes.
  std::function<int(int64_t)> local_offset = [&spot](int64_t t) { return spot.offset_at(t); };
  if (!options.timezone.empty()) local_offset = offsets_in_zone(options.timezone);

  std::string why;
  const auto from = parse_iso8601(options.from, kDateOrDateTime, &why);
  if (!from)
    throw std::invalid_argument("--from '" + options.from +
                                "' is neither a date (YYYY-MM-DD) nor ISO 8601 with offset: " + why);
  int64_t start = from->unix_s;
  if (from->date_only) start -= static_cast<int64_t>(local_offset(from->unix_s + 12 * 3600)) * 60;
  const int start_offset = local_offset(start);
  const int64_t local_start = start + static_cast<int64_t>(start_offset) * 60;
  const int64_t end_guess = local_start + static_cast<int64_t>(options.days) * 86400 - start_offset * 60;
  const int64_t end = local_start + static_cast<int64_t>(options.days) * 86400 -
                      static_cast<int64_t>(local_offset(end_guess - 1)) * 60;
  const int64_t step = std::min(spot.step_s(), household.step_s());
  if (spot.start_s() > start || spot.end_s() < end)
    throw std::invalid_argument(
        fmt::format("{} covers {} to {}, not the whole window {} to {}", options.prices_file,
                    format_iso8601(spot.start_s(), spot.offset_at(spot.start_s())),
                    format_iso8601(spot.end_s(), spot.offset_at(spot.end_s())),
                    format_iso8601(start, start_offset), format_iso8601(end, start_offset)));
  if (export_file && (export_file->start_s() > start || export_file->end_s() < end))
    throw std::invalid_argument(fmt::format("{} does not cover the whole window", options.export_price_file));
  if (household.start_s() > start || household.end_s() < end)
    throw std::invalid_argument(fmt::format(
        "{} covers {} to {}, not the whole window", options.household_file,
        format_iso8601(household.start_s(), start_offset), format_iso8601(household.end_s(), start_offset)));
  if ((end - start) % step != 0) throw std::invalid_argument("the window is not a whole number of steps");
  const size_t steps = static_cast<size_t>((end - start) / step);
  const double hours = static_cast<double>(step) / 3600.0;

  // Model.
  BatteryModel battery;
  battery.soc_min_wh = 0;
  battery.soc_max_wh = options.battery_kwh * 1000;
  battery.charge_max_w = battery.discharge_max_w = options.battery_kw * 1000;
  battery.charge_efficiency = battery.discharge_efficiency = std::sqrt(options.round_trip_efficiency);
  battery.wear_eur_per_mwh = options.wear_eur_per_mwh;
  GridLimits grid;
  if (options.grid_import_max_kw) grid.import_max_w = *options.grid_import_max_kw * 1000;
  if (options.export_mode == BacktestOptions::Export::none) grid.export_max_w = 0;
  const double soc_start = options.soc_start_kwh ? *options.soc_start_kwh * 1000 : battery.soc_max_wh / 2;

  auto import_price = [&](int64_t t) { return spot.eur_per_mwh_at(t) + options.import_fee_eur_per_mwh; };
  auto export_price = [&](int64_t t) {
    switch (options.export_mode) {
      case BacktestOptions::Export::file:
        return export_file->eur_per_mwh_at(t);
      case BacktestOptions::Export::fixed:
        return options.export_price_eur_per_mwh;
      case BacktestOptions::Export::none:
        return 0.0;
    }
    return 0.0;
  };
  auto truth = [&](int64_t t) {
    return StepInputs{household.load_w_at(t), household.pv_w_at(t) * options.pv_scale, import_price(t),
                      export_price(t)};
  };
  int gaps_filled = 0;
  for (size_t k = 0; k < household.series.size(); ++k) {
    const int64_t t = household.start_s() + static_cast<int64_t>(k) * household.step_s();
    if (household.series.filled[k] && t + household.step_s() > start && t < end) ++gaps_filled;
  }

  // Forecaster: learn everything before the window.
  ForecastSettings forecast_settings;
  forecast_settings.slot_s = household.step_s();
  forecast_settings.pv_model = options.pv_model;
  forecast_settings.latitude_deg = options.latitude_deg;
  forecast_settings.longitude_deg = options.longitude_deg;
  forecast_settings.offset_minutes = local_offset;
  Forecaster forecaster(forecast_settings);
  int64_t next_household = household.start_s();
  auto learn_until = [&](int64_t t) {
    while (next_household + household.step_s() <= t) {
      forecaster.observe(next_household, household.load_w_at(next_household),
                         household.pv_w_at(next_household) * options.pv_scale);
      next_household += household.step_s();
    }
  };

  const size_t horizon_steps =
      std::max<size_t>(1, static_cast<size_t>(std::llround(options.horizon_hours * 3600 / step)));
  const size_t mae_steps = std::min(horizon_steps, static_cast<size_t>(86400 / step));
  double load_error = 0, load_error_day = 0, load_error_week = 0, pv_error = 0, pv_error_day = 0,
         pv_error_week = 0;
  int64_t error_count = 0;

  Ledger none_total, rule_total, planner_total, oracle_total;
  std::map<std::string, MonthTotals> months;
  auto month_of = [&](int64_t t) {
    const std::string iso = format_iso8601(t, local_offset(t));
    return iso.substr(0, 7);
  };
  std::vector<double> solve_ms;
  solve_ms.reserve(steps);
  double rule_soc = soc_start, planner_soc = soc_start;
  int64_t replans_tracking = 0;
  std::vector<StepInputs> true_steps(steps);

  for (size_t k = 0; k < steps; ++k) {
    const int64_t now = start + static_cast<int64_t>(k) * step;
    learn_until(now);
    const StepInputs actual = truth(now);
    true_steps[k] = actual;
    const double net = actual.load_w - actual.pv_w;

    MpcInputs mpc;
    mpc.now_s = now;
    mpc.step_s = step;
    mpc.horizon_steps = horizon_steps;
    mpc.load_forecast_w = forecaster.load_w(now, step, horizon_steps);
    mpc.pv_forecast_w = forecaster.pv_w(now, step, horizon_steps);
    mpc.load_multipliers = forecaster.load_multipliers(options.load_quantiles);
    mpc.pv_multipliers = forecaster.pv_multipliers(options.pv_quantiles);
    mpc.import_price = import_price;
    mpc.export_price = export_price;
    mpc.prices_known_until_s = day_ahead_published_until(spot, now);
    mpc.battery = battery;
    mpc.grid = grid;
    mpc.soc_wh = planner_soc;
    mpc.dp.soc_levels = options.soc_levels;
    const MpcDecision decision = decide_mpc(mpc);
    solve_ms.push_back(decision.solve_ms);
    if (decision.intent == StepIntent::track_zero_grid) ++replans_tracking;

    // Forecast quality over the next 24 h (only targets inside the window, whose truth we hold).
    for (size_t lead = 0; lead < mae_steps; ++lead) {
      const int64_t t = now + static_cast<int64_t>(lead) * step;
      if (t >= end) break;
      const double load = household.load_w_at(t), pv = household.pv_w_at(t) * options.pv_scale;
      load_error += std::fabs(mpc.load_forecast_w[lead] - load);
      pv_error += std::fabs(mpc.pv_forecast_w[lead] - pv);
      load_error_day += std::fabs(household.load_w_at(t - 86400) - load);
      pv_error_day += std::fabs(household.pv_w_at(t - 86400) * options.pv_scale - pv);
      load_error_week += std::fabs(household.load_w_at(t - 7 * 86400) - load);
      pv_error_week += std::fabs(household.pv_w_at(t - 7 * 86400) * options.pv_scale - pv);
      ++error_count;
    }

    const double planner_w = execute_step(decision, battery, net, planner_soc, hours);
    const auto planner_outcome = step_outcome(actual, grid, battery, planner_w, hours);
    planner_soc = std::clamp(planner_soc + battery.energy_change_wh(planner_w, hours), battery.soc_min_wh,
                             battery.soc_max_wh);
    const double rule_w = self_consumption_power(battery, net, rule_soc, hours);
    const auto rule_outcome = step_outcome(actual, grid, battery, rule_w, hours);
    rule_soc = std::clamp(rule_soc + battery.energy_change_wh(rule_w, hours), battery.soc_min_wh,
                          battery.soc_max_wh);
    const auto none_outcome = step_outcome(actual, grid, battery, 0.0, hours);

    auto& month = months[month_of(now)];
    const double planner_eur = planner_outcome.energy_cost_eur + planner_outcome.wear_eur;
    const double rule_eur = rule_outcome.energy_cost_eur + rule_outcome.wear_eur;
    const double none_eur = none_outcome.energy_cost_eur;
    planner_total.add(planner_eur);
    month.planner.add(planner_eur);
    rule_total.add(rule_eur);
    month.rule.add(rule_eur);
    none_total.add(none_eur);
    month.none.add(none_eur);
  }

  // Oracle: the same optimiser, once, over the whole window with the true data.
  PlanningProblem oracle_problem;
  oracle_problem.step_s = step;
  oracle_problem.steps = true_steps;
  oracle_problem.battery = battery;
  oracle_problem.grid = grid;
  oracle_problem.soc_start_wh = soc_start;
  // The same objective as every MPC solve, including the value of energy left at the end: an oracle that may empty
  // the battery on the last evening would be scored on an artefact of the window's end, not on planning.
  oracle_problem.terminal_value_eur_per_mwh = terminal_value_eur_per_mwh(oracle_problem);
  DpSettings oracle_settings;
  oracle_settings.soc_levels = options.soc_levels;
  const Plan oracle = solve_dp(oracle_problem, oracle_settings);
  for (size_t k = 0; k < steps; ++k) {
    const auto& outcome = oracle.steps[k].outcome;
    const double eur = outcome.energy_cost_eur + outcome.wear_eur;
    oracle_total.add(eur);
    months[month_of(start + static_cast<int64_t>(k) * step)].oracle.add(eur);
  }

  const double count = std::max<int64_t>(1, error_count);
  nlohmann::json result = {
      {"days", options.days},
      {"steps", steps},
      {"gaps_filled", gaps_filled},
      {"cost_no_battery_eur", round_cents(none_total.eur())},
      {"cost_rule_based_eur", round_cents(rule_total.eur())},
      {"cost_planner_eur", round_cents(planner_total.eur())},
      {"cost_oracle_eur", round_cents(oracle_total.eur())},
      {"savings_captured", savings_captured(none_total, planner_total, oracle_total)},
      {"forecast",
       {{"load_mae_w", std::round(load_error / count)},
        {"load_mae_naive_w", std::round(std::min(load_error_day, load_error_week) / count)},
        {"pv_mae_w", std::round(pv_error / count)},
        {"pv_mae_naive_w", std::round(std::min(pv_error_day, pv_error_week) / count)}}},
      {"solve_ms",
       {{"median", std::round(percentile(solve_ms, 0.5) * 1000) / 1000},
        {"p95", std::round(percentile(solve_ms, 0.95) * 1000) / 1000}}},
  };
  if (options.monthly) {
    // The strict lower bound: the same optimiser free to empty the battery at the very end (terminal value 0).
    oracle_problem.terminal_value_eur_per_mwh = 0;
    const Plan strict = solve_dp(oracle_problem, oracle_settings);
    Ledger strict_total;
    for (const auto& step : strict.steps)
      strict_total.add(step.outcome.energy_cost_eur + step.outcome.wear_eur);
    result["cost_oracle_strict_eur"] = round_cents(strict_total.eur());
    result["savings_captured_vs_strict_oracle"] = savings_captured(none_total, planner_total, strict_total);
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& [month, totals] : months)
      rows.push_back({{"month", month},
                      {"cost_no_battery_eur", round_cents(totals.none.eur())},
                      {"cost_rule_based_eur", round_cents(totals.rule.eur())},
                      {"cost_planner_eur", round_cents(totals.planner.eur())},
                      {"cost_oracle_eur", round_cents(totals.oracle.eur())},
                      {"rule_savings_captured", savings_captured(totals.none, totals.rule, totals.oracle)},
                      {"savings_captured", savings_captured(totals.none, totals.planner, totals.oracle)}});
    result["months"] = rows;
    result["rule_savings_captured"] = savings_captured(none_total, rule_total, oracle_total);
    result["forecast"]["load_mae_naive_yesterday_w"] = std::round(load_error_day / count);
    result["forecast"]["load_mae_naive_last_week_w"] = std::round(load_error_week / count);
    result["forecast"]["pv_mae_naive_yesterday_w"] = std::round(pv_error_day / count);
    result["forecast"]["pv_mae_naive_last_week_w"] = std::round(pv_error_week / count);
    result["steps_tracking_zero_grid"] = replans_tracking;
  }
  return result;
}

}  // namespace hepek::planner
