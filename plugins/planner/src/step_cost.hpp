// What one step costs for a given battery power: the single cost model used by the optimiser, the rule-based
// strategy, the backtest's accounting and the exact LP's checks.
//
// Contract: chooses the best curtailment for the step (PV may be curtailed when allowed: profitable at negative prices,
// required by export limits); grid limits are soft: a violation costs kViolationEurPerWh per Wh, so a plan always
// exists. Pure, thread-safe.
#pragma once

#include "planning_problem.hpp"

namespace hepek::planner {

// A soft-constraint violation costs 10 EUR per kWh: far above any real price, so it is only used when unavoidable.
inline constexpr double kViolationEurPerWh = 0.01;

struct StepOutcome {
  double grid_w = 0;           // + import
  double curtailed_w = 0;      // PV not produced
  double energy_cost_eur = 0;  // import cost − export revenue
  double wear_eur = 0;
  double violation_eur = 0;  // soft-constraint penalty (not money paid)
  double total_eur() const { return energy_cost_eur + wear_eur + violation_eur; }
};

StepOutcome step_outcome(const StepInputs& inputs, const GridLimits& grid, const BatteryModel& battery,
                         double battery_w, double hours);

}  // namespace hepek::planner
