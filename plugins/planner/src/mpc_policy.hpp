// One model-predictive-control decision: build the horizon problem from forecasts and known prices, solve it, and
// turn its first step into a battery command. Shared by `hepek backtest` and the live planner plugin so both run
// exactly the same logic.
//
// Contract: prices beyond what is published are forecast by repeating the last published day at the same time of day
// (24 h, 48 h... earlier), so the horizon keeps its length and the end of the published prices is not mistaken for the
// end of the world. Energy left at the horizon's end is valued at the mean import price of the horizon's final day
// times the discharge efficiency. Steps further ahead than uncertain_after_s are costed as the expectation over the
// forecast's scenarios (one battery schedule for all), so the plan hedges against e.g. a sunnier day than forecast. The first step is executed with intent: a step planned mainly to serve the home
// (covering at least half the net load from the battery, or storing at least half the surplus PV) follows the measured
// net load within the planned direction; a
// discharge planned against imports never exports more than planned, a charge planned from surplus never imports; any
// other step runs at the planned power. Pure apart from timing; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "dp_optimizer.hpp"
#include "planning_problem.hpp"

namespace hepek::planner {

struct MpcInputs {
  int64_t now_s = 0;
  int64_t step_s = 900;
  size_t horizon_steps = 192;
  std::vector<double> load_forecast_w;  // horizon_steps values
  std::vector<double> pv_forecast_w;
  // Forecast uncertainty as multipliers of the point forecasts (each equally likely); {1} = certain.
  std::vector<double> load_multipliers{1.0};
  std::vector<double> pv_multipliers{1.0};
  int64_t uncertain_after_s =
      4 * 3600;  // steps from this lead on are planned on the expectation over scenarios
  // Published import/export prices (EUR/MWh) at a time, and until when they are published.
  std::function<double(int64_t)> import_price;
  std::function<double(int64_t)> export_price;
  int64_t prices_known_until_s = 0;
  BatteryModel battery;
  GridLimits grid;
  double soc_wh = 0;
  DpSettings dp;
};

enum class StepIntent { fixed_power, track_zero_grid };

struct MpcDecision {
  PlanningProblem problem;
  Plan plan;
  double battery_w = 0;     // the first step's planned power
  double first_grid_w = 0;  // the first step's planned grid power
  StepIntent intent = StepIntent::fixed_power;
  double solve_ms = 0;
};

MpcDecision decide_mpc(const MpcInputs& inputs);

// The value (EUR/MWh stored) of energy left at a horizon's end, from the horizon's final day of import prices.
double terminal_value_eur_per_mwh(const PlanningProblem& problem);

// The power to run for the current step once its real net load is known (see contract).
double execute_step(const MpcDecision& decision, const BatteryModel& battery, double actual_net_load_w,
                    double soc_wh, double hours);

}  // namespace hepek::planner
