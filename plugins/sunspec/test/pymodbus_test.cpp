// The built plugin (hepek-sunspec.so) on the SDK's fake host against the pymodbus SunSpec device simulator
// (test/peer/sunspec_sim.py, a real Modbus implementation in another process): readings by interface, a 124
// battery setpoint written, read back from the device's registers and followed by the simulated battery, a
// write the device refuses reported on the result, Modbus RTU over the simulator's pty, and every fault of
// issue 10 (exception range, timeout, wrong and missing marker, dropped connection, declared length mismatch)
// survived with the device named in the log and availability telling the truth.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <thread>

#include <hepek/interfaces.hpp>
#include <hepek/testing/fake_host.hpp>

#include "device_registers.hpp"
#include "peer_process.hpp"
#include "test_support.hpp"

namespace hepek::sunspec {
namespace {

using hepek::testing::FakeHost;
using hepek::testing::FakeInstance;
using hepek::testing::PluginUnderTest;
using hepek::testing::SunSpecSimulator;
using hepek::testing::SunSpecSimulatorOptions;
using namespace std::chrono_literals;

// hybrid_battery.json at base 40000: 1 (66), 103 (50), 120 (26), 121 (30), 123 (24), 124 (24), 160 (8 + 2 x 20).
constexpr uint32_t kInverterData = 40072;  // model 103's first data register
constexpr uint32_t kSecondModule = 40264;  // 160's second PV module: 40236 + 8 + 20, 20 registers

const PluginUnderTest& plugin() {
  static const PluginUnderTest loaded = PluginUnderTest::from_library(HEPEK_SUNSPEC_PLUGIN_PATH);
  return loaded;
}

SunSpecSimulatorOptions simulated(const std::string& device, std::vector<std::string> faults = {},
                                  bool serial_pty = false) {
  SunSpecSimulatorOptions options;
  options.device = device;
  options.faults = std::move(faults);
  options.serial_pty = serial_pty;
  return options;
}

nlohmann::json tcp_config(const SunSpecSimulator& simulator) {
  return {{"host", "127.0.0.1"}, {"port", simulator.port()}, {"poll_s", 1},
          {"timeout_ms", 500},   {"reconnect_min_s", 1},     {"reconnect_max_s", 2}};
}

// The plugin as instance `id` on the fake host, started, polling the simulator over TCP (tcp_config).
struct PluginOnSimulator {
  PluginOnSimulator(const std::string& id, const SunSpecSimulatorOptions& options)
      : simulator(options), host(id), instance(plugin(), host, tcp_config(simulator)) {
    instance.start();
  }
  SunSpecSimulator simulator;
  FakeHost host;
  FakeInstance instance;
};

std::string last_availability(const std::vector<hepek::testing::Published>& messages,
                              const std::string& device) {
  for (auto it = messages.rbegin(); it != messages.rend(); ++it)
    if (it->topic == topics::availability(device)) return it->payload;
  return {};
}

bool availability_is(FakeHost& host, const std::string& device, const std::string& value) {
  return host.wait_until(
      [&](const std::vector<hepek::testing::Published>& messages) {
        return last_availability(messages, device) == value;
      },
      30s);
}

// wait_until's predicate runs under the fake host's lock: the log is polled outside it.
bool eventually_logged(FakeHost& host, int level, const std::string& text) {
  for (int i = 0; i < 300; ++i) {
    if (host.logged(level, text)) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

std::string all_logs(const FakeHost& host) {
  std::string text;
  for (const auto& line : host.logs()) text += line.message + "\n";
  return text;
}

// The value of a field in the newest state that has it as a number satisfying `accept`.
bool state_reaches(FakeHost& host, const std::string& device, const std::string& field,
                   const std::function<bool(double)>& accept) {
  return host.wait_until(
      [&](const std::vector<hepek::testing::Published>& messages) {
        for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
          if (it->topic != topics::state(device)) continue;
          const auto state = nlohmann::json::parse(it->payload, nullptr, false);
          return state.is_object() && state.contains(field) && state[field].is_number() &&
                 accept(state[field].get<double>());
        }
        return false;
      },
      30s);
}

TEST(SunSpecPymodbus, AHybridDevicePublishesByInterfaceAndFollowsA124Setpoint) {
  PluginOnSimulator running("hb", simulated("hybrid_battery.json"));
  auto& [simulator, host, instance] = running;
  ASSERT_TRUE(host.wait_for_states("hb-battery", 2, 30s)) << all_logs(host) << simulator.log();
  ASSERT_TRUE(host.wait_for_states("hb-pv", 1, 30s));
  const auto pv = host.device_metadata("hb-pv"), battery = host.device_metadata("hb-battery");
  ASSERT_TRUE(pv && battery);
  EXPECT_TRUE(interfaces::check_implements(*pv, "pv_inverter"));
  EXPECT_TRUE(interfaces::check_implements(*battery, "battery"));
  // PV 4000 W DC × 0.97, the battery idle on its own.
  EXPECT_TRUE(state_reaches(host, "hb-pv", "power", [](double w) { return std::abs(w - 3880) <= 5; }));
  EXPECT_EQ(host.last_state("hb-battery")->at("soc"), 50.0);

  // Charge at 2000 W of WChaMax 5000 W (InOutWRte_SF -1): StorCtl_Mod 3, InWRte 40 %, OutWRte -40 %, 30 s.
  const nlohmann::json result = host.command("hb-battery", R"({"setpoint_w":-2000,"expires_s":30})");
  EXPECT_EQ(result["ok"], true) << result.dump();
  DeviceRegisters device(simulator.port());
  EXPECT_EQ(device.point(124, "StorCtl_Mod"), 3);
  EXPECT_EQ(device.point(124, "InWRte"), 400);
  EXPECT_EQ(static_cast<int16_t>(device.point(124, "OutWRte")), -400);
  EXPECT_EQ(device.point(124, "InOutWRte_RvrtTms"), 30);
  // The simulated battery follows (+ = discharge) and the plugin reads it back.
  EXPECT_TRUE(state_reaches(host, "hb-battery", "power", [](double w) { return std::abs(w + 2000) <= 5; }))
      << host.last_state("hb-battery")->dump();
  EXPECT_EQ(host.last_state("hb-battery")->at("control"), "setpoint");
  instance.stop();
}

TEST(SunSpecPymodbus, AWriteTheDeviceRefusesIsAnErrorOnTheResult) {
  // The same device, except that it takes no negative rate (no forced charging, as many batteries).
  nlohmann::json device =
      nlohmann::json::parse(hepek::testing::read_file(SunSpecSimulator::device_path("hybrid_battery.json")));
  device["write_limits"]["124.OutWRte"] = {0, 100};
  hepek::testing::TempFile file("refusing.json", device.dump());
  PluginOnSimulator running("hb", simulated(file.path()));
  auto& [simulator, host, instance] = running;
  ASSERT_TRUE(host.wait_for_states("hb-battery", 1, 30s)) << all_logs(host) << simulator.log();
  const nlohmann::json refused = host.command("hb-battery", R"({"setpoint_w":-1000,"expires_s":30})");
  EXPECT_EQ(refused["ok"], false) << refused.dump();
  EXPECT_NE(refused.dump().find("124"), std::string::npos) << refused.dump();
  DeviceRegisters registers(simulator.port());
  EXPECT_EQ(registers.point(124, "StorCtl_Mod"), 0);  // nothing of the refused write took effect
  // A write the device takes still works afterwards.
  const nlohmann::json discharge = host.command("hb-battery", R"({"setpoint_w":1000,"expires_s":30})");
  EXPECT_EQ(discharge["ok"], true) << discharge.dump();
  instance.stop();
}

TEST(SunSpecPymodbus, ModbusRtuOverTheSimulatorsPty) {
  SunSpecSimulator simulator(simulated("hybrid_battery.json", {}, true));
  FakeHost host("rtu");
  FakeInstance instance(plugin(), host,
                        {{"transport", "rtu"}, {"device", simulator.pty()}, {"baud", 19200}, {"poll_s", 1}});
  instance.start();
  ASSERT_TRUE(host.wait_for_states("rtu-battery", 2, 60s)) << all_logs(host) << simulator.log();
  EXPECT_TRUE(state_reaches(host, "rtu-pv", "power", [](double w) { return std::abs(w - 3880) <= 5; }));
  const nlohmann::json result = host.command("rtu-battery", R"({"setpoint_w":500,"expires_s":30})");
  EXPECT_EQ(result["ok"], true) << result.dump();
  instance.stop();
}

TEST(SunSpecPymodbus, AnExceptionRangeMakesThosePointsNullAndTheRestIsPublished) {
  PluginOnSimulator running(
      "exc", simulated("hybrid_battery.json", {"exception:" + std::to_string(kSecondModule) + "-" +
                                               std::to_string(kSecondModule + 19)}));
  auto& [simulator, host, instance] = running;
  ASSERT_TRUE(host.wait_for_states("exc-pv", 2, 30s)) << all_logs(host) << simulator.log();
  EXPECT_TRUE(eventually_logged(host, HEPEK_LOG_WARNING, "unreadable")) << all_logs(host);
  EXPECT_TRUE(state_reaches(host, "exc-pv", "dc_power_1", [](double w) { return w > 0; }));
  const nlohmann::json state = *host.last_state("exc-pv");
  EXPECT_TRUE(!state.contains("dc_power_2") || state["dc_power_2"].is_null()) << state.dump();
  EXPECT_EQ(last_availability(host.published(), "exc-pv"), "online");
  instance.stop();
}

TEST(SunSpecPymodbus, ATimeoutIsOfflineWithTheDeviceNamedAndNeverCrashes) {
  PluginOnSimulator running(
      "slow", simulated("hybrid_battery.json",
                        {"timeout:" + std::to_string(kInverterData) + "-" + std::to_string(kInverterData)}));
  auto& [simulator, host, instance] = running;
  ASSERT_TRUE(availability_is(host, "slow", "offline")) << all_logs(host);
  EXPECT_TRUE(eventually_logged(host, HEPEK_LOG_WARNING, "tcp 127.0.0.1:" + std::to_string(simulator.port())))
      << all_logs(host);
  // It keeps retrying (with backoff) and never publishes a reading it could not make.
  EXPECT_TRUE(eventually_logged(host, HEPEK_LOG_WARNING, "failure 2 in a row")) << all_logs(host);
  EXPECT_TRUE(host.states("slow-pv").empty());
  instance.stop();
}

void expect_no_device_found(const std::string& fault) {
  PluginOnSimulator running("nomark", simulated("hybrid_battery.json", {fault}));
  auto& [simulator, host, instance] = running;
  ASSERT_TRUE(availability_is(host, "nomark", "offline")) << all_logs(host);
  EXPECT_TRUE(eventually_logged(host, HEPEK_LOG_WARNING, "SunS")) << all_logs(host);
  EXPECT_TRUE(
      eventually_logged(host, HEPEK_LOG_WARNING, "tcp 127.0.0.1:" + std::to_string(simulator.port())));
  EXPECT_TRUE(host.states("nomark").empty());
  instance.stop();
}

TEST(SunSpecPymodbus, AWrongMarkerIsNoSunSpecDevice) {
  expect_no_device_found("wrong-marker");
}
TEST(SunSpecPymodbus, AMissingMarkerIsNoSunSpecDevice) {
  expect_no_device_found("no-marker");
}

TEST(SunSpecPymodbus, ADroppedConnectionIsOfflineThenReconnectsWithBackoff) {
  // The first connection is closed after discovery and a few polls; later connections are served.
  PluginOnSimulator running("drop", simulated("hybrid_battery.json", {"drop-after:40:once"}));
  auto& [simulator, host, instance] = running;
  ASSERT_TRUE(host.wait_for_states("drop-pv", 1, 30s)) << all_logs(host) << simulator.log();
  ASSERT_TRUE(availability_is(host, "drop-pv", "offline")) << all_logs(host);
  const size_t before = host.states("drop-pv").size();
  ASSERT_TRUE(availability_is(host, "drop-pv", "online")) << all_logs(host);
  EXPECT_TRUE(host.wait_for_states("drop-pv", before + 1, 30s));
  EXPECT_TRUE(eventually_logged(host, HEPEK_LOG_INFO, "back online")) << all_logs(host);
  instance.stop();
}

TEST(SunSpecPymodbus, AModelDeclaringAnotherLengthIsDecodedAsFarAsItGoes) {
  // 123 declares 20 registers instead of 24: its last points are missing, the chain after it moves up.
  PluginOnSimulator running("len", simulated("hybrid_battery.json", {"length:123:20"}));
  auto& [simulator, host, instance] = running;
  ASSERT_TRUE(host.wait_for_states("len-battery", 1, 30s)) << all_logs(host) << simulator.log();
  EXPECT_TRUE(state_reaches(host, "len-pv", "power", [](double w) { return std::abs(w - 3880) <= 5; }));
  EXPECT_EQ(host.last_state("len-battery")->at("soc"), 50.0);  // 124 and 802 found past the short model
  EXPECT_NE(all_logs(host).find("123"), std::string::npos) << all_logs(host);
  instance.stop();
}

}  // namespace
}  // namespace hepek::sunspec
