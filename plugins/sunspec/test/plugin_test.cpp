// The built plugin (hepek-sunspec.so) on the SDK's fake host against a real Modbus TCP server (libmodbus, in
// this process) serving a hybrid device: one device per interface with conforming metadata, readings, a battery
// setpoint and a PV limit that reach the device's registers (written and read back), and a device that goes
// away (offline, the error names it) and comes back (online, readings again).
#include <gtest/gtest.h>

#include <thread>

#include <hepek/interfaces.hpp>
#include <hepek/testing/fake_host.hpp>

#include "controls.hpp"
#include "modbus_test_server.hpp"
#include "test_support.hpp"

namespace hepek::sunspec {
namespace {

using hepek::testing::FakeHost;
using hepek::testing::FakeInstance;
using hepek::testing::PluginUnderTest;
using namespace std::chrono_literals;

const PluginUnderTest& plugin() {
  static const PluginUnderTest loaded = PluginUnderTest::from_library(HEPEK_SUNSPEC_PLUGIN_PATH);
  return loaded;
}

RegisterImage device() {
  return testing::hybrid_device(hepek::testing::testdata_dir() + "/sunspec/devices");
}

bool availability_is(FakeHost& host, const std::string& device, const std::string& value) {
  return host.wait_until(
      [&](const std::vector<hepek::testing::Published>& messages) {
        for (auto it = messages.rbegin(); it != messages.rend(); ++it)
          if (it->topic == topics::availability(device)) return it->payload == value;
        return false;
      },
      20s);
}

TEST(SunSpecPlugin, AHybridDevicePublishesOneDevicePerInterfaceAndTakesControls) {
  const RegisterImage image = device();
  testing::Server server(image);
  FakeHost host("hybrid");
  FakeInstance instance(plugin(), host, {{"host", "127.0.0.1"}, {"port", server.port()}, {"poll_s", 1}});
  instance.start();
  ASSERT_TRUE(host.wait_for_states("hybrid-battery", 2, 20s));
  ASSERT_TRUE(host.wait_for_states("hybrid-pv", 1, 20s));
  ASSERT_TRUE(host.wait_for_states("hybrid-meter", 1, 20s));

  const auto pv = host.device_metadata("hybrid-pv"), battery = host.device_metadata("hybrid-battery"),
             meter = host.device_metadata("hybrid-meter");
  ASSERT_TRUE(pv && battery && meter);
  EXPECT_TRUE(interfaces::check_implements(*pv, "pv_inverter"));
  EXPECT_TRUE(interfaces::check_implements(*battery, "battery"));
  EXPECT_TRUE(interfaces::check_implements(*meter, "grid_meter", "grid"));
  EXPECT_EQ(host.last_state("hybrid-pv")->at("power"), 141380.0);
  EXPECT_EQ(host.last_state("hybrid-battery")->at("soc"), 56.3);
  EXPECT_EQ(host.last_state("hybrid-battery")->at("power"), -1800);
  EXPECT_EQ(host.last_state("hybrid-meter")->at("energy_export"), 7654321);

  // 124: StorCtl_Mod 3, OutWRte = -25 %, InWRte = +25 % of WChaMax 5000 W (SF -2), revert after 600 s.
  const nlohmann::json result = host.command("hybrid-battery", R"({"setpoint_w":-1250,"expires_s":600})");
  EXPECT_EQ(result["ok"], true) << result.dump();
  const ModelDefinition& storage = *find_model(124);
  const ModelLocation at{124, 41379, static_cast<uint16_t>(storage.fixed_length())};
  EXPECT_EQ(server.register_at(*point_address(storage, at, "StorCtl_Mod")), 3);
  EXPECT_EQ(static_cast<int16_t>(server.register_at(*point_address(storage, at, "OutWRte"))), -2500);
  EXPECT_EQ(server.register_at(*point_address(storage, at, "InWRte")), 2500);
  EXPECT_EQ(server.register_at(*point_address(storage, at, "InOutWRte_RvrtTms")), 600);

  // Out of the announced range (WChaMax): the hub-side validation refuses it before the device sees it.
  EXPECT_EQ(host.command("hybrid-battery", R"({"setpoint_w":9000,"expires_s":60})")["ok"], false);
  // 123: WMaxLimPct = 9250 / 185000 W (121 WMax) = 5 %.
  const nlohmann::json limit = host.command("hybrid-pv", R"({"limit_w":9250,"expires_s":120})");
  EXPECT_EQ(limit["ok"], true) << limit.dump();
  instance.stop();
}

TEST(SunSpecPlugin, ADeviceThatGoesAwayIsOfflineAndComesBack) {
  const RegisterImage image = device();
  testing::Server server(image);
  FakeHost host("inv");
  FakeInstance instance(
      plugin(), host,
      {{"host", "127.0.0.1"}, {"port", server.port()}, {"poll_s", 1}, {"reconnect_max_s", 2}});
  instance.start();
  ASSERT_TRUE(host.wait_for_states("inv-pv", 1, 20s));
  server.close();
  ASSERT_TRUE(availability_is(host, "inv-pv", "offline"));
  EXPECT_TRUE(host.logged(HEPEK_LOG_WARNING, "tcp 127.0.0.1:" + std::to_string(server.port())));
  // A command while offline is refused with the reason.
  const nlohmann::json refused = host.command("inv-battery", R"({"setpoint_w":100,"expires_s":60})");
  EXPECT_EQ(refused["ok"], false);
  EXPECT_NE(refused.dump().find("offline"), std::string::npos) << refused.dump();
  const size_t before = host.states("inv-pv").size();
  server.reopen(image);
  ASSERT_TRUE(availability_is(host, "inv-pv", "online"));
  EXPECT_TRUE(host.wait_for_states("inv-pv", before + 1, 20s));
  instance.stop();
}

TEST(SunSpecPlugin, NoDeviceAtAllIsOfflineWithTheReasonAndNeverCrashes) {
  FakeHost host("nothing");
  FakeInstance instance(
      plugin(), host, {{"host", "127.0.0.1"}, {"port", hepek::testing::free_port()}, {"reconnect_max_s", 1}});
  instance.start();
  ASSERT_TRUE(availability_is(host, "nothing", "offline"));
  // (wait_until's predicate runs under the fake host's lock: poll the log outside it)
  bool logged = false;
  for (int i = 0; i < 200 && !logged; ++i) {
    logged = host.logged(HEPEK_LOG_WARNING, "cannot connect");
    if (!logged) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(logged);
  instance.stop();
  EXPECT_TRUE(host.states("nothing").empty());
}

}  // namespace
}  // namespace hepek::sunspec
