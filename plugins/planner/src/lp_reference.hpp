// The exact optimum of a PlanningProblem by linear programming with GLPK: the reference the DP is checked against.
//
// Contract: same model as step_cost.hpp (charge, discharge, import, export, curtailment per step; SoC balance;
// power, SoC and hard grid limits; wear on throughput; terminal value). Where a price is negative or import is cheaper
// than export, an LP could profit from physically impossible simultaneous charge+discharge or import+export, so those
// steps get binaries (a small MIP); elsewhere the relaxation is exact. Throws std::runtime_error when GLPK fails or
// the problem is infeasible under hard limits. Not for live use: slow on long horizons. Thread-safe per call
// (GLPK keeps no shared state we use).
#pragma once

#include "planning_problem.hpp"

namespace hepek::planner {

struct LpResult {
  double cost_eur = 0;  // energy + wear over the horizon (terminal value excluded)
  std::vector<double> battery_w;
  std::vector<double> soc_end_wh;
  bool used_binaries = false;
};

LpResult solve_lp(const PlanningProblem& problem);

}  // namespace hepek::planner
