// How long reading a year of hourly prices and parsing one time stamp take (the tariff and planner read the
// year at start; the recorder parses a time stamp per state message).
#include <cstdlib>
#include <string>

#include <benchmark/benchmark.h>

#include "hepek/timeseries/iso8601.hpp"
#include "hepek/timeseries/price_series.hpp"

namespace {

void BM_ParseIso8601(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(hepek::timeseries::parse_iso8601("2023-10-29T02:15:00.250+01:00"));
}
BENCHMARK(BM_ParseIso8601);

void BM_ReadPriceYear(benchmark::State& state) {
  const char* source = std::getenv("HEPEK_SOURCE_DIR");
  const std::string path =
      std::string(source ? source : ".") + "/testdata/prices/nl_day_ahead_2023_hourly.csv";
  for (auto _ : state) benchmark::DoNotOptimize(hepek::timeseries::read_price_csv_file(path));
}
BENCHMARK(BM_ReadPriceYear)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
