#include "dp_optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace hepek::planner {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Everything about one step that does not depend on the starting SoC.
struct StepTable {
  int down_levels = 0;                 // grid levels reachable by discharging
  int up_levels = 0;                   // by charging
  std::vector<double> level_cost;      // stage cost of moving k levels, index k + down_levels
  std::vector<double> exact_delta_wh;  // off-grid kinks of the stage cost (stored-energy changes)
  std::vector<double> exact_cost;
};

class DpSolver {
 public:
  DpSolver(const PlanningProblem& problem, const DpSettings& settings) : problem_(problem) {
    const auto& battery = problem.battery;
    levels_ = std::max(1, settings.soc_levels);
    soc_min_ = battery.soc_min_wh;
    soc_span_ = std::max(0.0, battery.soc_max_wh - battery.soc_min_wh);
    level_wh_ = soc_span_ / levels_;
    hours_ = problem.step_hours();
    max_up_wh_ = battery.charge_max_w * hours_ * battery.charge_efficiency;
    max_down_wh_ = battery.discharge_max_w * hours_ / battery.discharge_efficiency;
  }

  Plan solve() {
    const size_t horizon = problem_.steps.size();
    const size_t states = static_cast<size_t>(levels_) + 1;
    value_.assign((horizon + 1) * states, 0.0);
    const double terminal_per_wh = problem_.terminal_value_eur_per_mwh / 1e6;
    for (size_t i = 0; i < states; ++i)
      value_[horizon * states + i] = -terminal_per_wh * soc_of(static_cast<double>(i));

    std::vector<StepTable> tables(horizon);
    for (size_t t = horizon; t-- > 0;) {
      tables[t] = make_table(t);
      backward_step(tables[t], &value_[t * states], &value_[(t + 1) * states]);
    }
    return forward(tables);
  }

 private:
  double soc_of(double level) const { return soc_min_ + level * level_wh_; }

  double stage_cost(size_t t, double delta_wh) const {
    const double battery_w = problem_.battery.power_for_energy_change(delta_wh, hours_);
    const auto& inputs = problem_.steps[t];
    if (t >= problem_.scenarios.size() || problem_.scenarios[t].empty())
      return step_outcome(inputs, problem_.grid, problem_.battery, battery_w, hours_).total_eur();
    double expected = 0;
    StepInputs variant = inputs;
    for (const auto& scenario : problem_.scenarios[t]) {
      variant.load_w = scenario.load_w;
      variant.pv_w = scenario.pv_w;
      expected += scenario.weight *
                  step_outcome(variant, problem_.grid, problem_.battery, battery_w, hours_).total_eur();
    }
    return expected;
  }

  StepTable make_table(size_t t) const {
    const StepInputs& inputs = problem_.steps[t];
    StepTable table;
    if (level_wh_ > 0) {
      table.down_levels = std::min(levels_, static_cast<int>(std::floor(max_down_wh_ / level_wh_ + 1e-9)));
      table.up_levels = std::min(levels_, static_cast<int>(std::floor(max_up_wh_ / level_wh_ + 1e-9)));
    }
    table.level_cost.resize(static_cast<size_t>(table.down_levels + table.up_levels + 1));
    for (int k = -table.down_levels; k <= table.up_levels; ++k)
      table.level_cost[static_cast<size_t>(k + table.down_levels)] = stage_cost(t, k * level_wh_);
    // Kinks of the stage cost in battery power: the power limits, grid power exactly zero, the grid limits, and the
    // edges of the curtailment range. Between kinks and grid points the objective is linear, so these candidates
    // together with the grid points contain the optimum of the interpolated problem.
    std::vector<double> powers = {-problem_.battery.charge_max_w, problem_.battery.discharge_max_w};
    auto add_kinks = [&](double load_w, double pv_w) {
      const auto& grid = problem_.grid;
      const double net = load_w - pv_w;
      powers.push_back(net);
      powers.push_back(net + pv_w);
      if (std::isfinite(grid.import_max_w)) powers.push_back(net - grid.import_max_w);
      if (std::isfinite(grid.export_max_w)) {
        powers.push_back(net + grid.export_max_w);
        powers.push_back(net + pv_w + grid.export_max_w);
      }
    };
    if (t < problem_.scenarios.size() && !problem_.scenarios[t].empty())
      for (const auto& scenario : problem_.scenarios[t]) add_kinks(scenario.load_w, scenario.pv_w);
    else
      add_kinks(inputs.load_w, inputs.pv_w);
    for (double power : powers) {
      if (power < -problem_.battery.charge_max_w - 1e-9 || power > problem_.battery.discharge_max_w + 1e-9)
        continue;
      const double delta = problem_.battery.energy_change_wh(power, hours_);
      table.exact_delta_wh.push_back(delta);
      table.exact_cost.push_back(stage_cost(t, delta));
    }
    return table;
  }

  // Linear interpolation of a value row at a continuous SoC inside [soc_min, soc_max].
  double interpolate(const double* row, double soc) const {
    if (level_wh_ <= 0) return row[0];
    const double position = std::clamp((soc - soc_min_) / level_wh_, 0.0, static_cast<double>(levels_));
    const int below = std::min(levels_ - 1, static_cast<int>(position));
    const double fraction = position - below;
    return row[below] + fraction * (row[below + 1] - row[below]);
  }

  bool inside(double soc) const { return soc >= soc_min_ - 1e-9 && soc <= soc_min_ + soc_span_ + 1e-9; }

  void backward_step(const StepTable& table, double* current, const double* next) const {
    for (int i = 0; i <= levels_; ++i) {
      const int low = std::max(0, i - table.down_levels);
      const int high = std::min(levels_, i + table.up_levels);
      const double* costs =
          table.level_cost.data();  // costs[j - i + down_levels] = cost of moving from i to j
      const int shift = table.down_levels - i;
      double best = kInfinity;
      for (int j = low; j <= high; ++j) best = std::min(best, costs[j + shift] + next[j]);
      const double soc = soc_of(i);
      for (size_t e = 0; e < table.exact_delta_wh.size(); ++e) {
        const double target = soc + table.exact_delta_wh[e];
        if (inside(target)) best = std::min(best, table.exact_cost[e] + interpolate(next, target));
      }
      if (best == kInfinity) best = next[i] + table.level_cost[static_cast<size_t>(table.down_levels)];
      current[i] = best;
    }
  }

  Plan forward(const std::vector<StepTable>& tables) const {
    const size_t horizon = problem_.steps.size();
    const size_t states = static_cast<size_t>(levels_) + 1;
    Plan plan;
    plan.steps.reserve(horizon);
    double soc = std::clamp(problem_.soc_start_wh, soc_min_, soc_min_ + soc_span_);
    for (size_t t = 0; t < horizon; ++t) {
      const auto& inputs = problem_.steps[t];
      const double* next = &value_[(t + 1) * states];
      double best_delta = 0;
      double best = stage_cost(t, 0.0) + interpolate(next, soc);
      auto consider = [&](double delta, double cost) {
        const double target = soc + delta;
        if (!inside(target) || delta > max_up_wh_ + 1e-9 || -delta > max_down_wh_ + 1e-9) return;
        const double total = cost + interpolate(next, target);
        if (total < best - 1e-12) {
          best = total;
          best_delta = delta;
        }
      };
      if (level_wh_ > 0) {
        const int low = static_cast<int>(std::ceil((soc - max_down_wh_ - soc_min_) / level_wh_ - 1e-9));
        const int high = static_cast<int>(std::floor((soc + max_up_wh_ - soc_min_) / level_wh_ + 1e-9));
        for (int j = std::max(0, low); j <= std::min(levels_, high); ++j) {
          const double delta = soc_of(j) - soc;
          consider(delta, stage_cost(t, delta));
        }
      }
      const auto& table = tables[t];
      for (size_t e = 0; e < table.exact_delta_wh.size(); ++e)
        consider(table.exact_delta_wh[e], table.exact_cost[e]);

      PlannedStep step;
      step.battery_w = problem_.battery.power_for_energy_change(best_delta, hours_);
      step.soc_start_wh = soc;
      step.soc_end_wh = std::clamp(soc + best_delta, soc_min_, soc_min_ + soc_span_);
      step.outcome = step_outcome(inputs, problem_.grid, problem_.battery, step.battery_w, hours_);
      plan.cost_eur += step.outcome.total_eur();
      soc = step.soc_end_wh;
      plan.steps.push_back(step);
    }
    return plan;
  }

  const PlanningProblem& problem_;
  int levels_ = 1;
  double soc_min_ = 0, soc_span_ = 0, level_wh_ = 0, hours_ = 0, max_up_wh_ = 0, max_down_wh_ = 0;
  std::vector<double> value_;
};

}  // namespace

Plan solve_dp(const PlanningProblem& problem, const DpSettings& settings) {
  return DpSolver(problem, settings).solve();
}

std::string describe_step(const StepInputs& in, const PlannedStep& step) {
  const double surplus = in.pv_w - in.load_w;
  std::string reason;
  if (step.battery_w < -1) {
    if (surplus >= -step.battery_w - 1)
      reason = "charge from surplus PV";
    else
      reason = fmt::format("charge from grid: import {:.0f} EUR/MWh is cheap", in.import_eur_per_mwh);
  } else if (step.battery_w > 1) {
    if (step.outcome.grid_w < -1)
      reason = fmt::format("discharge to export at {:.0f} EUR/MWh", in.export_eur_per_mwh);
    else
      reason = fmt::format("discharge to cover load instead of importing at {:.0f} EUR/MWh",
                           in.import_eur_per_mwh);
  } else {
    reason = surplus > 0 ? "hold: surplus exported" : "hold: energy kept for dearer hours";
  }
  if (step.outcome.curtailed_w > 1)
    reason += fmt::format("; curtail {:.0f} W of PV", step.outcome.curtailed_w);
  if (step.outcome.violation_eur > 0) reason += "; grid limit exceeded (unavoidable)";
  return reason;
}

}  // namespace hepek::planner
