#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "dp_optimizer.hpp"
#include "lp_reference.hpp"

using namespace hepek::planner;

namespace {

double no_battery_cost(const PlanningProblem& p) {
  double cost = 0;
  for (const auto& s : p.steps) cost += step_outcome(s, p.grid, p.battery, 0.0, p.step_hours()).total_eur();
  return cost;
}

PlanningProblem random_problem(unsigned seed, int steps, bool negative_prices) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  PlanningProblem p;
  p.step_s = 900;
  p.battery.soc_max_wh = 10'000;
  p.battery.wear_eur_per_mwh = seed % 2 ? 20 : 0;
  p.soc_start_wh = 5'000;
  for (int t = 0; t < steps; ++t) {
    const double hour = std::fmod(t * 0.25, 24.0);
    StepInputs s;
    s.load_w = 300 + 1500 * unit(rng) + (hour > 17 && hour < 21 ? 1500 : 0);
    s.pv_w = std::max(0.0, 4000 * std::sin((hour - 6) / 14 * M_PI)) * (0.5 + 0.5 * unit(rng));
    double spot = 80 + 60 * std::sin((hour - 12) / 24 * 2 * M_PI) + 40 * unit(rng);
    if (negative_prices && hour > 11 && hour < 15) spot = -150 * unit(rng) - 20;
    s.import_eur_per_mwh = spot + 100;
    s.export_eur_per_mwh = spot;
    p.steps.push_back(s);
  }
  return p;
}

void expect_dp_matches_lp(const PlanningProblem& p) {
  const Plan dp = solve_dp(p);
  const LpResult lp = solve_lp(p);
  const double tolerance = 0.001 * std::fabs(no_battery_cost(p)) + 0.01;
  EXPECT_LE(std::fabs(dp.cost_eur - lp.cost_eur), tolerance)
      << "dp " << dp.cost_eur << " lp " << lp.cost_eur << " no battery " << no_battery_cost(p);
  EXPECT_GE(dp.cost_eur, lp.cost_eur - 1e-6) << "the DP cannot beat the exact optimum";
  // The plan is feasible: SoC within limits and continuous.
  double soc = p.soc_start_wh;
  for (const auto& step : dp.steps) {
    EXPECT_NEAR(step.soc_start_wh, soc, 1e-6);
    EXPECT_GE(step.soc_end_wh, p.battery.soc_min_wh - 1e-6);
    EXPECT_LE(step.soc_end_wh, p.battery.soc_max_wh + 1e-6);
    EXPECT_LE(step.battery_w, p.battery.discharge_max_w + 1e-6);
    EXPECT_GE(step.battery_w, -p.battery.charge_max_w - 1e-6);
    soc = step.soc_end_wh;
  }
}

}  // namespace

TEST(StepCost, CurtailsOnlyWhenExportPriceIsNegative) {
  GridLimits grid;
  BatteryModel battery;
  StepInputs s{500, 3000, 100, 50};
  auto out = step_outcome(s, grid, battery, 0, 1.0);
  EXPECT_DOUBLE_EQ(out.grid_w, -2500);
  EXPECT_DOUBLE_EQ(out.curtailed_w, 0);
  EXPECT_NEAR(out.energy_cost_eur, -0.125, 1e-12);
  s.export_eur_per_mwh = -30;
  out = step_outcome(s, grid, battery, 0, 1.0);
  EXPECT_DOUBLE_EQ(out.grid_w, 0);
  EXPECT_DOUBLE_EQ(out.curtailed_w, 2500);
  grid.allow_curtailment = false;
  out = step_outcome(s, grid, battery, 0, 1.0);
  EXPECT_DOUBLE_EQ(out.grid_w, -2500);
  EXPECT_NEAR(out.energy_cost_eur, 0.075, 1e-12);
}

TEST(StepCost, MainFuseIsASoftLimit) {
  GridLimits grid;
  grid.import_max_w = GridLimits::fuse_limit_w(25, 1);  // 5750 W
  BatteryModel battery;
  const auto out = step_outcome({8000, 0, 100, 50}, grid, battery, 0, 1.0);
  EXPECT_GT(out.violation_eur, 0);
  EXPECT_DOUBLE_EQ(out.grid_w, 8000);
  EXPECT_DOUBLE_EQ(step_outcome({8000, 0, 100, 50}, grid, battery, 2500, 1.0).violation_eur, 0);
}

TEST(DpVersusLp, PositivePrices) {
  for (unsigned seed = 1; seed <= 4; ++seed) expect_dp_matches_lp(random_problem(seed, 96, false));
}

TEST(DpVersusLp, NegativePrices) {
  for (unsigned seed = 11; seed <= 14; ++seed) expect_dp_matches_lp(random_problem(seed, 96, true));
}

TEST(DpVersusLp, NoExportFuseAndTerminalValue) {
  auto p = random_problem(7, 64, true);
  p.grid.export_max_w = 0;
  p.grid.import_max_w = GridLimits::fuse_limit_w(16, 1);
  p.terminal_value_eur_per_mwh = 120;
  p.battery.soc_min_wh = 1000;
  p.battery.charge_max_w = 3000;
  expect_dp_matches_lp(p);
}

TEST(DpVersusLp, BatteryArbitragesAndChargesAtNegativePrices) {
  PlanningProblem p;
  p.step_s = 3600;
  p.soc_start_wh = 0;
  for (double price : {-100.0, -100.0, 300.0, 300.0}) p.steps.push_back({1000, 0, price, price});
  const Plan plan = solve_dp(p);
  EXPECT_LT(plan.steps[0].battery_w, -4000);  // charge hard while paid to import
  EXPECT_GT(plan.steps[3].battery_w, 900);    // cover the dear hours
  expect_dp_matches_lp(p);
}
