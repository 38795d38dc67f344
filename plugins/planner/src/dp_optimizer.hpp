// Battery schedule by dynamic programming over a discretised state of charge.
//
// Contract: solve() never fails on a well-formed problem (soft grid limits, see step_cost.hpp); it returns the plan
// from problem.soc_start_wh, one PlannedStep per input step. The value function lives on a SoC grid of `soc_levels`
// intervals; actions are evaluated at every reachable grid point plus the step's exact kinks (power limits, grid power
// zero, grid limits, full curtailment) with the next value interpolated linearly, so the plan follows the continuous
// optimum closely rather than snapping to the grid. Per step, the cost of moving k grid levels depends only on k, so
// it is computed once per step and the per-state work is a min-plus scan over the reachable window.
// Extension point: another device adds either a stage-cost term (an appliance run decided per step) or a state
// dimension (a thermal mass); both enter through `stage cost` and the state grid here. Thread-safe (no shared state).
#pragma once

#include <string>
#include <vector>

#include "planning_problem.hpp"
#include "step_cost.hpp"

namespace hepek::planner {

struct PlannedStep {
  double battery_w = 0;  // + discharge
  double soc_start_wh = 0;
  double soc_end_wh = 0;
  StepOutcome outcome;
};

struct Plan {
  std::vector<PlannedStep> steps;
  double cost_eur = 0;  // energy + wear + violations over the horizon (terminal value excluded)
};

struct DpSettings {
  int soc_levels = 200;  // intervals between soc_min and soc_max
};

Plan solve_dp(const PlanningProblem& problem, const DpSettings& settings = {});

// A short human reason for a planned step ("charge from surplus PV", "discharge: price 231 EUR/MWh", ...).
std::string describe_step(const StepInputs& inputs, const PlannedStep& step);

}  // namespace hepek::planner
