// A full SunSpec poll of a hybrid device (inverter 103 with 12 MPPTs in 160, controls 123, battery 124 + 802,
// meter 203: the FIMER dump with a battery and a meter added) over Modbus TCP against a libmodbus server in this
// process, compared in the same iterations with raw libmodbus reads of exactly the same register blocks: the
// poll (read plan, decode every polled model, the pv/battery/meter states) should reach at least 0.8 of raw
// speed. Wall time (the server runs on another thread). Prints JSON unless told otherwise.
#include <benchmark/benchmark.h>

#include <chrono>
#include <stdexcept>

#include "device_functions.hpp"
#include "modbus_link.hpp"
#include "modbus_test_server.hpp"
#include "model_reading.hpp"
#include "point_codec.hpp"
#include "register_dump.hpp"

using namespace hepek::sunspec;
using hepek::sunspec::testing::hybrid_device;
using hepek::sunspec::testing::Server;

namespace {

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void BM_FullPollVersusRawReads(benchmark::State& state) {
  const RegisterImage device = hybrid_device(HEPEK_SUNSPEC_DEVICES_DIR);
  Server server(device);
  LinkSettings settings;
  settings.host = "127.0.0.1";
  settings.port = server.port();
  ModbusLink link(settings);
  if (const auto connected = link.connect(); !connected) throw std::runtime_error(connected.error());
  const BaseSearch search = find_base(link, std::nullopt);
  if (!search.base) throw std::runtime_error(search.error);
  const DeviceMap map = walk_models(link, *search.base);
  const auto polled = locations_of(map, polled_models(map));
  const auto functions = functions_of(map);
  ReadPlan plan(plan_blocks(polled));

  modbus_t* raw = modbus_new_tcp("127.0.0.1", server.port());
  if (!raw || modbus_connect(raw) != 0) throw std::runtime_error("raw libmodbus client cannot connect");
  std::vector<uint16_t> buffer(kMaxReadRegisters);

  double poll_time = 0, raw_time = 0;
  uint64_t polls = 0, registers = 0, requests = 0;
  const auto poll = [&] {
    RegisterImage image;
    const PollOutcome outcome = plan.execute(link, image);
    if (outcome.link_failed) throw std::runtime_error(outcome.error);
    const Snapshot snapshot = decode_locations(polled, image);
    for (const Function function : functions) benchmark::DoNotOptimize(function_state(function, snapshot));
    registers = outcome.registers;
    requests = outcome.requests;
  };
  const auto read_raw = [&] {
    for (const Block& block : plan.blocks())
      if (modbus_read_registers(raw, static_cast<int>(block.address), block.count, buffer.data()) !=
          block.count)
        throw std::runtime_error(std::string("raw read: ") + modbus_strerror(errno));
  };
  for (auto _ : state) {
    // Alternate which goes first, so neither always meets the server thread just woken.
    const bool poll_first = polls % 2 == 0;
    const double t0 = now_s();
    if (poll_first)
      poll();
    else
      read_raw();
    const double t1 = now_s();
    if (poll_first)
      read_raw();
    else
      poll();
    const double t2 = now_s();
    poll_time += poll_first ? t1 - t0 : t2 - t1;
    raw_time += poll_first ? t2 - t1 : t1 - t0;
    ++polls;
  }
  modbus_close(raw);
  modbus_free(raw);
  const double n = static_cast<double>(polls);
  state.counters["poll_ms"] = 1000 * poll_time / n;
  state.counters["raw_ms"] = 1000 * raw_time / n;
  state.counters["registers_per_poll"] = static_cast<double>(registers);
  state.counters["requests_per_poll"] = static_cast<double>(requests);
  state.counters["poll_registers_per_s"] = static_cast<double>(registers) * n / poll_time;
  state.counters["raw_registers_per_s"] = static_cast<double>(registers) * n / raw_time;
  state.counters["poll_vs_raw_speed"] = raw_time / poll_time;  // 1.0 = as fast as raw reads; aim >= 0.8
}
BENCHMARK(BM_FullPollVersusRawReads)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The decoding part alone (no Modbus): the polled models from the image.
void BM_DecodePolledModels(benchmark::State& state) {
  const RegisterImage device = hybrid_device(HEPEK_SUNSPEC_DEVICES_DIR);
  DumpSource source(device, "hybrid");
  const DeviceMap map = walk_models(source, 40000);
  const auto polled = locations_of(map, polled_models(map));
  for (auto _ : state) benchmark::DoNotOptimize(decode_locations(polled, device));
}
BENCHMARK(BM_DecodePolledModels)->Unit(benchmark::kMicrosecond);

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
