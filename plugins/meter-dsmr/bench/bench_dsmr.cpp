// Telegrams parsed per second (DSMR 5 telegram, 37 lines, CRC checked), with the comparisons measured in the
// same run: without the CRC check, the CRC alone, and through the stream reader (framing + parse).
// BM_Comparison times both parse variants in the same iterations and reports them as counters. Prints JSON
// unless told otherwise.
#include <benchmark/benchmark.h>

#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "crc16.hpp"
#include "json_form.hpp"
#include "parser.hpp"
#include "stream_reader.hpp"

using namespace hepek::dsmr;

namespace {

const std::string& v5_telegram() {
  static const std::string text = [] {
    const std::string path = std::string(HEPEK_DSMR_CORPUS_DIR) + "/ndokter_telegram_v5.txt";
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error("cannot open " + path);
    std::ostringstream content;
    content << file.rdbuf();
    if (!parse_telegram(content.str()).ok()) throw std::runtime_error(path + " does not parse");
    return content.str();
  }();
  return text;
}

void BM_ParseWithCrc(benchmark::State& state) {
  const std::string& text = v5_telegram();
  for (auto _ : state) benchmark::DoNotOptimize(parse_telegram(text));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_ParseWithCrc);

void BM_ParseWithoutCrc(benchmark::State& state) {
  const std::string& text = v5_telegram();
  ParseOptions options;
  options.verify_crc = false;
  for (auto _ : state) benchmark::DoNotOptimize(parse_telegram(text, options));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseWithoutCrc);

void BM_CrcOnly(benchmark::State& state) {
  const std::string& text = v5_telegram();
  const std::string_view covered = std::string_view(text).substr(0, text.find('!') + 1);
  for (auto _ : state) benchmark::DoNotOptimize(crc16_arc(covered));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CrcOnly);

void BM_StreamReader(benchmark::State& state) {
  const std::string& text = v5_telegram();
  TelegramStreamReader reader;
  for (auto _ : state) benchmark::DoNotOptimize(reader.feed(text));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StreamReader);

void BM_ParseAndJson(benchmark::State& state) {
  const std::string& text = v5_telegram();
  for (auto _ : state) benchmark::DoNotOptimize(telegram_to_json(parse_telegram(text).telegram()).dump());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseAndJson);

// This thread's CPU time: on a shared machine wall time would count other processes' turns.
double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// Both variants in the same iterations, so the ratio is not skewed by load changing between benchmarks.
void BM_Comparison(benchmark::State& state) {
  const std::string& text = v5_telegram();
  ParseOptions without_crc;
  without_crc.verify_crc = false;
  constexpr int kBatch = 200;
  double with_time = 0, without_time = 0;
  int64_t batches = 0;
  for (auto _ : state) {
    const double t0 = thread_cpu_seconds();
    for (int i = 0; i < kBatch; ++i) benchmark::DoNotOptimize(parse_telegram(text));
    const double t1 = thread_cpu_seconds();
    for (int i = 0; i < kBatch; ++i) benchmark::DoNotOptimize(parse_telegram(text, without_crc));
    const double t2 = thread_cpu_seconds();
    with_time += t1 - t0;
    without_time += t2 - t1;
    ++batches;
  }
  const double n = static_cast<double>(batches * kBatch);
  state.counters["telegrams_per_s_with_crc"] = n / with_time;
  state.counters["telegrams_per_s_without_crc"] = n / without_time;
  state.counters["crc_share_percent"] = 100.0 * (with_time - without_time) / with_time;
}
BENCHMARK(BM_Comparison)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  bool has_format = false;
  for (int i = 1; i < argc; ++i) has_format |= std::string_view(argv[i]).rfind("--benchmark_format", 0) == 0;
  static char json_format[] = "--benchmark_format=json";
  if (!has_format) args.push_back(json_format);
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
