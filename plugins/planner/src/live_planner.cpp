#include "live_planner.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <hepek/payloads/plan.hpp>
#include <hepek/time.hpp>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>

#include "rule_based.hpp"
#include "step_cost.hpp"

namespace hepek::planner {

using namespace hepek::timeseries;  // the shared time and CSV vocabulary
namespace {

constexpr double kAbsurdPriceEurPerMwh = 20'000;  // far beyond any market's limits (EPEX: −500…4000)
constexpr double kAbsurdPowerW = 1'000'000;       // a home is not a power station

std::optional<double> number_field(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object.at(key).is_number()) return std::nullopt;
  return object.at(key).get<double>();
}

}  // namespace

std::vector<PriceInterval> price_intervals(const payloads::PriceMessage& message) {
  std::vector<PriceInterval> out;
  for (const auto& p : message.prices)
    out.push_back({p.start_ms / 1000, p.end_ms() / 1000, static_cast<double>(p.import_ueur_per_mwh) / 1e6,
                   static_cast<double>(p.export_ueur_per_mwh) / 1e6});
  return out;
}

std::vector<PriceInterval> parse_price_message(const nlohmann::json& message) {
  const auto parsed = payloads::PriceMessage::parse(message);
  if (!parsed) throw std::invalid_argument(parsed.error());
  return price_intervals(*parsed);
}

LivePlanner::LivePlanner(LivePlannerSettings settings)
    : settings_(std::move(settings)), forecaster_([this] {
        ForecastSettings f = settings_.forecast;
        f.slot_s = settings_.step_s;
        return f;
      }()) {}

void LivePlanner::on_prices(const nlohmann::json& message, int64_t now_s) {
  const auto parsed = payloads::PriceMessage::parse(message);
  if (!parsed) {
    prices_.clear();
    prices_problem_ = "unreadable prices: " + parsed.error();
    return;
  }
  on_prices(*parsed, now_s);
}

void LivePlanner::on_prices(const payloads::PriceMessage& message, int64_t now_s) {
  try {
    prices_ = price_intervals(message);
    prices_received_s_ = now_s;
    prices_problem_.clear();
    for (const auto& p : prices_)
      if (!std::isfinite(p.import_eur_per_mwh) || std::fabs(p.import_eur_per_mwh) > kAbsurdPriceEurPerMwh ||
          !std::isfinite(p.export_eur_per_mwh) || std::fabs(p.export_eur_per_mwh) > kAbsurdPriceEurPerMwh)
        prices_problem_ = fmt::format("absurd price {} EUR/MWh", p.import_eur_per_mwh);
  } catch (const std::exception& error) {
    prices_.clear();
    prices_problem_ = std::string("unreadable prices: ") + error.what();
  }
}

void LivePlanner::on_battery_state(const nlohmann::json& state, int64_t now_s) {
  const auto soc = number_field(state, "soc");
  soc_pct_.at_s = now_s;
  if (!soc || *soc < 0 || *soc > 100) {
    soc_pct_.problem = soc ? fmt::format("absurd battery SoC {} %", *soc) : "battery state without \"soc\"";
    return;
  }
  soc_pct_.problem.clear();
  soc_pct_.value = *soc;
  if (const auto power = number_field(state, "power")) battery_power_ = {*power, now_s, {}};
}

void LivePlanner::on_load_state(const nlohmann::json& state, int64_t now_s) {
  const auto power = number_field(state, "power");
  load_w_.at_s = now_s;
  if (!power || *power < 0 || *power > kAbsurdPowerW || !std::isfinite(*power)) {
    load_w_.problem = power ? fmt::format("absurd load {} W", *power) : "load state without \"power\"";
    return;
  }
  load_w_.problem.clear();
  load_w_.value = *power;
}

void LivePlanner::on_pv_state(const nlohmann::json& state, int64_t now_s) {
  const auto power = number_field(state, "power");
  pv_seen_ = true;
  pv_w_.at_s = now_s;
  if (!power || *power < -50 || *power > kAbsurdPowerW || !std::isfinite(*power)) {
    pv_w_.problem = power ? fmt::format("absurd PV power {} W", *power) : "PV state without \"power\"";
    return;
  }
  pv_w_.problem.clear();
  pv_w_.value = std::max(0.0, *power);
}

std::optional<double> LivePlanner::price_at(int64_t t, bool import) const {
  for (const auto& p : prices_)
    if (t >= p.start_s && t < p.end_s) return import ? p.import_eur_per_mwh : p.export_eur_per_mwh;
  return std::nullopt;
}

std::optional<std::string> LivePlanner::check_inputs(int64_t now_s) const {
  const int64_t stale = settings_.stale_after_s;
  if (prices_received_s_ == INT64_MIN) return "no prices received on hepek/tariff/prices";
  if (!prices_problem_.empty()) return prices_problem_;
  if (!price_at(now_s, true)) return "no price for the current interval (prices stale)";
  if (soc_pct_.at_s == INT64_MIN) return "no battery state received";
  if (!soc_pct_.problem.empty()) return soc_pct_.problem;
  if (now_s - soc_pct_.at_s > stale) return fmt::format("battery state is {} s old", now_s - soc_pct_.at_s);
  if (load_w_.at_s == INT64_MIN) return "no load reading received";
  if (!load_w_.problem.empty()) return load_w_.problem;
  if (now_s - load_w_.at_s > stale) return fmt::format("load reading is {} s old", now_s - load_w_.at_s);
  if (pv_seen_ && !pv_w_.problem.empty()) return pv_w_.problem;
  if (pv_seen_ && now_s - pv_w_.at_s > stale)
    return fmt::format("PV reading is {} s old", now_s - pv_w_.at_s);
  if (!forecaster_.trained()) return "learning: less than a day of household history";
  return std::nullopt;
}

void LivePlanner::account_previous_step(int64_t now_s) {
  if (last_decision_s_ == INT64_MIN) return;
  const int64_t previous = last_decision_s_;
  const double hours = static_cast<double>(now_s - previous) / 3600.0;
  if (hours <= 0 || hours > 2 * static_cast<double>(settings_.step_s) / 3600.0)
    return;  // a gap: do not guess
  const auto import = price_at(previous, true), export_price = price_at(previous, false);
  if (!import) return;
  const StepInputs step{last_load_w_, last_pv_w_, *import, export_price.value_or(0)};
  if (battery_power_.at_s >= previous) {  // the battery reports what it did in the step it acted in
    const auto actual = step_outcome(step, settings_.grid, settings_.battery, battery_power_.value, hours);
    cost_micro_ += std::llround((actual.energy_cost_eur + actual.wear_eur) * 1e6);
  }
  const double rule_w =
      self_consumption_power(settings_.battery, step.load_w - step.pv_w, rule_soc_wh_, hours);
  const auto rule = step_outcome(step, settings_.grid, settings_.battery, rule_w, hours);
  rule_cost_micro_ += std::llround((rule.energy_cost_eur + rule.wear_eur) * 1e6);
  rule_soc_wh_ = std::clamp(rule_soc_wh_ + settings_.battery.energy_change_wh(rule_w, hours),
                            settings_.battery.soc_min_wh, settings_.battery.soc_max_wh);
}

Decision LivePlanner::decide(int64_t now_s) {
  const double hours = static_cast<double>(settings_.step_s) / 3600.0;
  const bool load_ok =
      load_w_.at_s != INT64_MIN && load_w_.problem.empty() && now_s - load_w_.at_s <= settings_.stale_after_s;
  const bool pv_ok = !pv_seen_ || (pv_w_.problem.empty() && now_s - pv_w_.at_s <= settings_.stale_after_s);
  const bool soc_ok = soc_pct_.at_s != INT64_MIN && soc_pct_.problem.empty();
  const double soc_wh = soc_pct_.value / 100.0 * settings_.capacity_wh;
  if (rule_soc_wh_ < 0 && soc_ok) rule_soc_wh_ = soc_wh;
  if (load_ok && pv_ok) {
    account_previous_step(now_s);
    forecaster_.observe(now_s, load_w_.value, pv_seen_ ? pv_w_.value : 0.0);
  }
  last_decision_s_ = now_s;
  last_load_w_ = load_w_.value;
  last_pv_w_ = pv_seen_ ? pv_w_.value : 0.0;

  Decision decision;
  decision.expires_s = static_cast<double>(2 * settings_.step_s);
  decision.fallback = check_inputs(now_s);
  const double net = load_w_.value - (pv_seen_ ? pv_w_.value : 0.0);
  payloads::PlanMessage plan_message;
  plan_message.ts = hepek::iso8601_utc(now_s * 1000);
  plan_message.step_s = settings_.step_s;
  plan_message.fallback = decision.fallback;
  if (decision.fallback) {
    ++fallbacks_;
    if (load_ok && pv_ok && soc_ok) {
      decision.setpoint_w = self_consumption_power(settings_.battery, net, soc_wh, hours);
    } else {
      // Without a trustworthy net load or SoC, no setpoint: the battery's own self-consumption takes over as the
      // last one expires.
      decision.send_setpoint = false;
    }
    payloads::PlanStep step;
    step.start_ms = now_s * 1000;
    step.length_s = settings_.step_s;
    step.battery_w = std::llround(decision.setpoint_w);
    step.reason = "fallback to self-consumption: " + *decision.fallback;
    plan_message.steps.push_back(std::move(step));
  } else {
    ++replans_;
    const size_t horizon =
        std::max<size_t>(1, static_cast<size_t>(std::llround(settings_.horizon_hours * 3600 /
                                                             static_cast<double>(settings_.step_s))));
    MpcInputs mpc;
    mpc.now_s = now_s;
    mpc.step_s = settings_.step_s;
    mpc.horizon_steps = horizon;
    // The current interval's readings are known now (sense phase); later ones are forecast.
    mpc.load_forecast_w = forecaster_.load_w(now_s, settings_.step_s, horizon);
    mpc.pv_forecast_w = forecaster_.pv_w(now_s, settings_.step_s, horizon);
    mpc.load_forecast_w[0] = load_w_.value;  // this interval's reading is already known
    mpc.pv_forecast_w[0] = pv_seen_ ? pv_w_.value : 0.0;
    mpc.pv_multipliers = forecaster_.pv_multipliers(3);
    const int64_t known_until = prices_.empty() ? now_s : prices_.back().end_s;
    mpc.import_price = [this](int64_t t) {
      return price_at(t, true).value_or(prices_.back().import_eur_per_mwh);
    };
    mpc.export_price = [this](int64_t t) {
      return price_at(t, false).value_or(prices_.back().export_eur_per_mwh);
    };
    mpc.prices_known_until_s = known_until;
    mpc.battery = settings_.battery;
    mpc.grid = settings_.grid;
    mpc.soc_wh = soc_wh;
    mpc.dp.soc_levels = settings_.soc_levels;
    const MpcDecision plan = decide_mpc(mpc);
    decision.setpoint_w = execute_step(plan, settings_.battery, net, soc_wh, hours);
    for (size_t k = 0; k < plan.plan.steps.size(); ++k) {
      const auto& step = plan.plan.steps[k];
      const int64_t t = now_s + static_cast<int64_t>(k) * settings_.step_s;
      payloads::PlanStep out;
      out.start_ms = t * 1000;
      out.length_s = settings_.step_s;
      out.battery_w = std::llround(k == 0 ? decision.setpoint_w : step.battery_w);
      out.soc_permille =
          std::clamp<std::int64_t>(std::llround(step.soc_end_wh / settings_.capacity_wh * 1000), 0, 1000);
      out.grid_w = std::llround(step.outcome.grid_w);
      out.import_ueur_per_mwh = std::llround(plan.problem.steps[k].import_eur_per_mwh * 1e6);
      out.reason = describe_step(plan.problem.steps[k], step);
      plan_message.steps.push_back(std::move(out));
    }
    plan_message.solve_us = std::llround(plan.solve_ms * 1000);
  }
  decision.plan = plan_message.to_json();
  return decision;
}

}  // namespace hepek::planner
