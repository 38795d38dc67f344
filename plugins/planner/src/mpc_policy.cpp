#include "mpc_policy.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace hepek::planner {
namespace {

// The published price at t, or the same time of day on the latest published day.
double price_or_repeat(const std::function<double(int64_t)>& price, int64_t t, int64_t known_until) {
  while (t >= known_until) t -= 86400;
  return price(t);
}

}  // namespace

MpcDecision decide_mpc(const MpcInputs& in) {
  MpcDecision decision;
  auto& problem = decision.problem;
  problem.step_s = in.step_s;
  problem.battery = in.battery;
  problem.grid = in.grid;
  problem.soc_start_wh = in.soc_wh;
  problem.steps.resize(in.horizon_steps);
  for (size_t k = 0; k < in.horizon_steps; ++k) {
    const int64_t t = in.now_s + static_cast<int64_t>(k) * in.step_s;
    auto& step = problem.steps[k];
    step.load_w = k < in.load_forecast_w.size() ? in.load_forecast_w[k] : 0;
    step.pv_w = k < in.pv_forecast_w.size() ? in.pv_forecast_w[k] : 0;
    step.import_eur_per_mwh = price_or_repeat(in.import_price, t, in.prices_known_until_s);
    step.export_eur_per_mwh = price_or_repeat(in.export_price, t, in.prices_known_until_s);
  }
  if (in.load_multipliers.size() * in.pv_multipliers.size() > 1) {
    const double weight = 1.0 / static_cast<double>(in.load_multipliers.size() * in.pv_multipliers.size());
    problem.scenarios.resize(in.horizon_steps);
    // Near steps are certain enough: their error is absorbed by following the measured net load and today's PV
    // level. Later ones carry the spread that matters for decisions taken now (charge from the grid tonight or keep
    // room for tomorrow's sun?).
    for (size_t k = static_cast<size_t>(std::max<int64_t>(0, in.uncertain_after_s) / in.step_s);
         k < in.horizon_steps; ++k)
      for (double load_factor : in.load_multipliers)
        for (double pv_factor : in.pv_multipliers)
          problem.scenarios[k].push_back(
              {weight, problem.steps[k].load_w * load_factor, problem.steps[k].pv_w * pv_factor});
  }
  problem.terminal_value_eur_per_mwh = terminal_value_eur_per_mwh(problem);

  const auto started = std::chrono::steady_clock::now();
  decision.plan = solve_dp(problem, in.dp);
  decision.solve_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (!decision.plan.steps.empty()) {
    const auto& first = decision.plan.steps.front();
    decision.battery_w = first.battery_w;
    decision.first_grid_w = first.outcome.grid_w;
    const double net = problem.steps.front().load_w - problem.steps.front().pv_w;
    // A step planned to serve mostly the home itself (cover at least half the net load, or store at least half the
    // surplus) is run as self-consumption: the inverter follows the real net load, which the forecast only guessed.
    constexpr double share = 0.5;
    const bool covers = net > 1.0 && first.battery_w > 0 && first.battery_w >= share * net - 1.0 &&
                        first.battery_w <= net + 1.0;
    const bool stores = net < -1.0 && first.battery_w < 0 && -first.battery_w >= -share * net - 1.0 &&
                        first.battery_w >= net - 1.0;
    const bool zero_grid = covers || stores;
    decision.intent = zero_grid ? StepIntent::track_zero_grid : StepIntent::fixed_power;
  }
  return decision;
}

double terminal_value_eur_per_mwh(const PlanningProblem& problem) {
  // What a stored MWh will likely displace later: an import at the final day's mean price, after discharge losses.
  const size_t horizon = problem.steps.size();
  const size_t last_day =
      std::min(horizon, static_cast<size_t>(86400 / std::max<int64_t>(1, problem.step_s)));
  if (last_day == 0) return 0;
  double sum = 0;
  for (size_t k = horizon - last_day; k < horizon; ++k) sum += problem.steps[k].import_eur_per_mwh;
  return std::max(0.0, sum / static_cast<double>(last_day)) * problem.battery.discharge_efficiency;
}

double execute_step(const MpcDecision& decision, const BatteryModel& battery, double actual_net_load_w,
                    double soc_wh, double hours) {
  double power = decision.battery_w;
  if (decision.intent == StepIntent::track_zero_grid) {
    // Follow the real net load, in the planned direction only (never turn a planned charge into a discharge).
    power = decision.battery_w >= 0 ? std::max(0.0, actual_net_load_w) : std::min(0.0, actual_net_load_w);
  } else if (power > 0 && decision.first_grid_w >= 0) {
    // A discharge planned to reduce imports must not spill into an export the plan did not want.
    power = std::min(power, std::max(0.0, actual_net_load_w));
  } else if (power < 0 && decision.first_grid_w <= 0) {
    // A charge planned from surplus PV must not turn into a grid import the plan did not want.
    power = std::max(power, std::min(0.0, actual_net_load_w));
  }
  power = std::clamp(power, -battery.charge_max_w, battery.discharge_max_w);
  // Respect the SoC limits with the real state of charge.
  const double available_w =
      std::max(0.0, soc_wh - battery.soc_min_wh) * battery.discharge_efficiency / hours;
  const double room_w = std::max(0.0, battery.soc_max_wh - soc_wh) / (battery.charge_efficiency * hours);
  return std::clamp(power, -room_w, available_w);
}

}  // namespace hepek::planner
