// The battery planning problem shared by the DP optimiser, the exact LP, the rule-based strategy and the backtest.
//
// Conventions (DESIGN.md): battery power + = discharge, grid power + = import, powers in W, energy in Wh, prices in
// EUR/MWh. Each step lasts step_s; inputs hold constant within a step. Plain data, no behaviour.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace hepek::planner {

inline constexpr double kUnlimited = std::numeric_limits<double>::infinity();
inline constexpr double kVoltsPerPhase = 230.0;

struct BatteryModel {
  double soc_min_wh = 0;
  double soc_max_wh = 10'000;
  double charge_max_w = 5'000;
  double discharge_max_w = 5'000;
  double charge_efficiency = 0.9486832980505138;     // sqrt(0.9): AC in -> stored
  double discharge_efficiency = 0.9486832980505138;  // stored -> AC out
  double wear_eur_per_mwh = 0;                       // per MWh of AC throughput, charge and discharge alike

  // Stored-energy change for an AC battery power over `hours` (discharge positive power lowers the SoC).
  double energy_change_wh(double battery_w, double hours) const {
    return battery_w >= 0 ? -battery_w * hours / discharge_efficiency
                          : -battery_w * hours * charge_efficiency;
  }
  // The AC battery power that changes stored energy by `delta_wh` over `hours`.
  double power_for_energy_change(double delta_wh, double hours) const {
    return delta_wh >= 0 ? -delta_wh / (charge_efficiency * hours) : -delta_wh * discharge_efficiency / hours;
  }
};

struct GridLimits {
  double import_max_w = kUnlimited;  // min(contracted limit, main fuse A × phases × 230 V)
  double export_max_w = kUnlimited;  // 0 = export not allowed
  bool allow_curtailment = true;     // PV may be curtailed (negative prices, export limits)

  static double fuse_limit_w(double amps_per_phase, int phases) {
    return amps_per_phase * phases * kVoltsPerPhase;
  }
};

struct StepInputs {
  double load_w = 0;
  double pv_w = 0;
  double import_eur_per_mwh = 0;
  double export_eur_per_mwh = 0;
};

// One possible outcome of a step's load and PV, with its probability.
struct StepScenario {
  double weight = 1;
  double load_w = 0;
  double pv_w = 0;
};

struct PlanningProblem {
  int64_t step_s = 900;
  std::vector<StepInputs> steps;
  BatteryModel battery;
  GridLimits grid;
  double soc_start_wh = 5'000;
  // Value of energy left in the battery at the horizon's end (EUR per MWh stored): without it an MPC horizon would
  // empty the battery just before its end, as if the world stopped there.
  double terminal_value_eur_per_mwh = 0;
  // Optional uncertainty: when scenarios[t] is not empty, step t costs the expectation over its scenarios (weights
  // summing to 1) instead of the cost at steps[t]'s load and PV. The plan stays one battery schedule for all of them,
  // so it hedges where the cost is lopsided (e.g. grid-charging before a sunny day wastes PV that is then exported).
  std::vector<std::vector<StepScenario>> scenarios;

  double step_hours() const { return static_cast<double>(step_s) / 3600.0; }
};

}  // namespace hepek::planner
