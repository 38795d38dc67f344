// One simulated year of the home models alone (synthetic load, clear-sky PV with clouds, battery, grid meter)
// at 15-minute steps: reports simulated steps per second and days per second.
#include <benchmark/benchmark.h>

#include "home_model.hpp"
#include "time_util.hpp"

namespace {

void BM_SimulatedYear(benchmark::State& state) {
  const std::int64_t step_ms = state.range(0) * 1000;
  const std::int64_t start = hepek::sim::parse_iso8601_ms("2023-01-01T00:00:00Z");
  std::int64_t steps = 0;
  for (auto _ : state) {
    hepek::sim::HomeModel home(hepek::sim::HomeModelOptions{});
    for (std::int64_t t = start; t < start + 365 * hepek::sim::kMillisPerDay; t += step_ms) {
      benchmark::DoNotOptimize(home.step(t, step_ms));
      ++steps;
    }
  }
  state.counters["steps_per_s"] = benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kIsRate);
  state.counters["sim_days_per_s"] = benchmark::Counter(
      static_cast<double>(steps) * static_cast<double>(step_ms) / 86'400'000.0, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SimulatedYear)->Arg(900)->Arg(300)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
