// Recorder write throughput on a temp-file database in WAL mode with synchronous=NORMAL (the recorder's
// settings): rows/s for several batch sizes, and batched (500 rows per transaction) against one transaction
// per row measured side by side in the same run. Run: bench_recorder --benchmark_format=json
#include <chrono>
#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include "recorder_store.hpp"

namespace hepek::recorder {
namespace {

constexpr int64_t kStart = 1'704'067'200'000;
constexpr int kFieldsPerState = 10;

class TempDatabase {
 public:
  explicit TempDatabase(const std::string& tag) {
    static int counter = 0;
    path_ = (std::filesystem::temp_directory_path() / ("hepek-bench-recorder-" + std::to_string(::getpid()) +
                                                       "-" + tag + "-" + std::to_string(counter++) + ".db"))
                .string();
    remove();
  }
  ~TempDatabase() { remove(); }
  const std::string& path() const { return path_; }

 private:
  void remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  std::string path_;
};

std::string field_name(int index) {
  return fmt::format("f{}", index);
}

DeviceMetadata bench_device() {
  std::string entities;
  for (int i = 0; i < kFieldsPerState; ++i)
    entities += fmt::format(R"({}{{"field":"{}","unit":"W","state_class":"measurement"}})", i ? "," : "",
                            field_name(i));
  return parse_device_metadata("meter", fmt::format(R"({{"schema":1,"entities":[{}]}})", entities)).value();
}

// Writes `rows` samples (states of kFieldsPerState fields, one per second) and flushes; returns seconds
// taken.
double write_rows(RecorderStore& store, int64_t& clock_ms, int rows) {
  static const std::vector<std::string> fields = [] {
    std::vector<std::string> names;
    for (int i = 0; i < kFieldsPerState; ++i) names.push_back(field_name(i));
    return names;
  }();
  const auto begin = std::chrono::steady_clock::now();
  for (int written = 0; written < rows; clock_ms += 1000)
    for (int field = 0; field < kFieldsPerState && written < rows; ++field, ++written)
      store.add({"meter", fields[field], clock_ms, double(written % 5000)});
  store.flush();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

void BM_RecorderRows(benchmark::State& state) {
  const auto batch_size = static_cast<std::size_t>(state.range(0));
  TempDatabase database("rows");
  RecorderStore store(database.path(), {.batch_size = batch_size});
  store.upsert_device(bench_device(), kStart);
  int64_t clock_ms = kStart;
  constexpr int kRows = 2000;
  int64_t rows = 0;
  for (auto _ : state) {
    write_rows(store, clock_ms, kRows);
    rows += kRows;
  }
  state.counters["rows_per_s"] = benchmark::Counter(double(rows), benchmark::Counter::kIsRate);
  state.counters["batch_size"] = double(batch_size);
}
BENCHMARK(BM_RecorderRows)
    ->Arg(1)
    ->Arg(10)
    ->Arg(100)
    ->Arg(500)
    ->Arg(5000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The comparison the issue asks for: the same rows, batched vs one transaction per row, in one run.
void BM_RecorderBatchedVsRowPerTransaction(benchmark::State& state) {
  TempDatabase batched_file("batched");
  TempDatabase single_file("single");
  RecorderStore batched(batched_file.path(), {.batch_size = 500});
  RecorderStore single(single_file.path(), {.batch_size = 1});
  batched.upsert_device(bench_device(), kStart);
  single.upsert_device(bench_device(), kStart);
  int64_t batched_clock = kStart, single_clock = kStart;
  constexpr int kRows = 5000;
  double batched_seconds = 0, single_seconds = 0;
  int64_t rows = 0;
  for (auto _ : state) {
    batched_seconds += write_rows(batched, batched_clock, kRows);
    single_seconds += write_rows(single, single_clock, kRows);
    rows += kRows;
  }
  state.counters["batched_rows_per_s"] = double(rows) / batched_seconds;
  state.counters["row_per_transaction_rows_per_s"] = double(rows) / single_seconds;
  state.counters["speedup"] = single_seconds / batched_seconds;
}
BENCHMARK(BM_RecorderBatchedVsRowPerTransaction)->UseRealTime()->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace hepek::recorder

BENCHMARK_MAIN();
