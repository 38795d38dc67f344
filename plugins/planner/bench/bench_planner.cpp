// Solve time of the battery optimiser for a 48 h horizon at 15-minute steps (192 steps, 10 kWh / 5 kW, 90 % round
// trip, import = spot + 100 EUR/MWh, export = spot) on real data (NL day-ahead prices, the Ausgrid home), against GLPK's
// exact LP of the same problem measured in the same run. Run with --benchmark_format=json.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <hepek/timeseries/household_series.hpp>
#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>
#include <hepek/timeseries/price_series.hpp>

#include "dp_optimizer.hpp"
#include "lp_reference.hpp"

using namespace hepek::planner;
using namespace hepek::timeseries;

namespace {

// The repository's testdata/ (scripts/run-benchmarks runs from the source root; HEPEK_SOURCE_DIR overrides).
std::string testdata_dir() {
  const char* dir = std::getenv("HEPEK_SOURCE_DIR");
  return std::string(dir ? dir : ".") + "/testdata";
}

const PlanningProblem& problem() {
  static const PlanningProblem instance = [] {
    const auto prices = read_price_csv_file(testdata_dir() + "/prices/nl_day_ahead_2023_hourly.csv");
    const auto home =
        read_household_csv_file(testdata_dir() + "/household/ausgrid_home12_retimed_2023_jul_nov_30min.csv");
    PlanningProblem p;
    p.step_s = 900;
    p.soc_start_wh = 5000;
    p.terminal_value_eur_per_mwh = 150;
    const int64_t start = parse_iso8601("2023-09-12T00:00:00+02:00")->unix_s;
    for (int k = 0; k < 192; ++k) {
      const int64_t t = start + k * 900;
      const double spot = prices.eur_per_mwh_at(t);
      p.steps.push_back({home.load_w_at(t), home.pv_w_at(t), spot + 100, spot});
    }
    return p;
  }();
  return instance;
}

PlanningProblem with_scenarios() {
  PlanningProblem p = problem();
  p.scenarios.resize(p.steps.size());
  for (size_t k = 16; k < p.steps.size(); ++k)  // beyond 4 h, as the planner does
    for (double factor : {0.6, 1.0, 1.4})
      p.scenarios[k].push_back({1.0 / 3, p.steps[k].load_w, p.steps[k].pv_w * factor});
  return p;
}

double lp_ms_once(const PlanningProblem& p, double* cost) {
  const auto started = std::chrono::steady_clock::now();
  *cost = solve_lp(p).cost_eur;
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
}

void BM_DpSolve48h15min(benchmark::State& state) {
  const PlanningProblem& p = problem();
  double dp_cost = 0;
  for (auto _ : state) {
    const Plan plan = solve_dp(p);
    dp_cost = plan.cost_eur;
    benchmark::DoNotOptimize(plan.steps.data());
  }
  // The exact LP of the same problem, in the same run, for comparison (median of 5 solves).
  std::vector<double> lp_ms;
  double lp_cost = 0;
  for (int i = 0; i < 5; ++i) lp_ms.push_back(lp_ms_once(p, &lp_cost));
  std::sort(lp_ms.begin(), lp_ms.end());
  state.counters["glpk_lp_ms"] = lp_ms[2];
  state.counters["dp_cost_eur"] = dp_cost;
  state.counters["lp_cost_eur"] = lp_cost;
  state.counters["steps"] = static_cast<double>(p.steps.size());
}
BENCHMARK(BM_DpSolve48h15min)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

void BM_DpSolve48h15minWithPvScenarios(benchmark::State& state) {
  const PlanningProblem p = with_scenarios();
  for (auto _ : state) benchmark::DoNotOptimize(solve_dp(p).steps.data());
}
BENCHMARK(BM_DpSolve48h15minWithPvScenarios)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

void BM_GlpkLp48h15min(benchmark::State& state) {
  const PlanningProblem& p = problem();
  for (auto _ : state) benchmark::DoNotOptimize(solve_lp(p).cost_eur);
}
BENCHMARK(BM_GlpkLp48h15min)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
