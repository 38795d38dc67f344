// Issue 10's live end-to-end test: the real hub binary with its embedded Mosquitto runs a home of real
// protocols, each peer a real implementation in its own process:
//  - meter-dsmr reads DSMR 5 P1 telegrams over TCP from a replay bridge (peers/dsmr_replay.py, testdata/dsmr),
//  - sunspec polls a hybrid inverter with a battery on the pymodbus SunSpec simulator (hybrid_battery.json),
//  - relay drives a Tasmota-style MQTT plug (peers/mqtt_plug.py, paho) on the hub's own broker.
// It shows readings with metadata (retained config with interfaces) and states of meter, PV, battery and
// switch on the bus; a battery setpoint published on the bus reaching the simulated battery's model 124
// registers (read back over Modbus) and the battery following it; a relay command reaching the plug and its
// report coming back; and, after `kill -9` of the hub (and of its broker), the battery returning to its own
// behaviour by the device's own revert timer (the plugin's short default_expires_s), with nobody left to tell it.
// The hybrid's split devices (hepek/hybrid-pv, -battery) name the instance's availability, which its last
// will sets offline when the hub dies.
// Every wait is for an event with a generous deadline; no assertion on how long anything took.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include <hepek/interfaces.hpp>

#include "device_registers.hpp"
#include "peer_process.hpp"
#include "test_support.hpp"

namespace {

namespace t = hepek::testing;
using hepek::sunspec::DeviceRegisters;
using namespace std::chrono_literals;

// The battery's setpoint lifetime when a /set names none: short, so the device's own timer runs out soon
// after the hub is killed.
constexpr int kDefaultExpiresS = 5;

std::string peer_script(const std::string& name) {
  return t::source_dir() + "/tests/integration/peers/" + name;
}

std::string home_config(int p1_port, int modbus_port) {
  std::ostringstream body;
  body << "[[plugin]]\nid = \"meter\"\ntype = \"meter-dsmr\"\nsource = \"tcp\"\nhost = \"127.0.0.1\"\n"
       << "port = " << p1_port << "\nreconnect_ms = 1000\n\n"
       << "[[plugin]]\nid = \"hybrid\"\ntype = \"sunspec\"\nhost = \"127.0.0.1\"\nport = " << modbus_port
       << "\nunit = 1\npoll_s = 1\ntimeout_ms = 1000\nreconnect_min_s = 1\nreconnect_max_s = 2\n"
       << "default_expires_s = " << kDefaultExpiresS << "\n\n"
       << "[[plugin]]\nid = \"supply\"\ntype = \"relay\"\nbackend = \"mqtt\"\ndefault_state = \"on\"\n"
       << "command_topic = \"cmnd/plug/POWER\"\nstate_topic = \"stat/plug/POWER\"\n";
  return body.str();
}

std::optional<nlohmann::json> json_of(const t::Received& message) {
  auto json = nlohmann::json::parse(message.payload, nullptr, false);
  if (json.is_discarded()) return std::nullopt;
  return json;
}

// A config of `device` on the bus, checked to implement `interface`.
::testing::AssertionResult announces(t::MqttClient& client, const std::string& device,
                                     const std::string& interface) {
  const auto config = client.wait_for("hepek/" + device + "/config", {}, 60000);
  if (!config) return ::testing::AssertionFailure() << "no hepek/" << device << "/config";
  const auto json = json_of(*config);
  if (!json) return ::testing::AssertionFailure() << device << " config is not JSON: " << config->payload;
  if (const auto status = hepek::interfaces::check_implements(*json, interface); !status)
    return ::testing::AssertionFailure() << status.error() << "\n" << config->payload;
  return ::testing::AssertionSuccess();
}

// Whether a client subscribing now is handed a retained message on `topic` (a live subscriber's copies carry no
// retain flag, so this takes a new client).
bool retained(const std::string& data_dir, int port, const std::string& topic) {
  auto late = t::connect_account(data_dir, port, "observer", "observer-live-late-" + topic);
  if (!late) return false;
  late->subscribe(topic);
  return late
      ->wait_for(
          topic, [](const t::Received& m) { return m.retained; }, 10000)
      .has_value();
}

// A state of `device` whose numeric `field` satisfies `accept`.
template <typename Accept>
std::optional<nlohmann::json> state_where(t::MqttClient& client, const std::string& device,
                                          const std::string& field, Accept accept, int timeout_ms = 60000) {
  const auto message = client.wait_for(
      "hepek/" + device + "/state",
      [&](const t::Received& m) {
        const auto json = json_of(m);
        return json && json->contains(field) && (*json)[field].is_number() &&
               accept((*json)[field].get<double>());
      },
      timeout_ms);
  if (!message) return std::nullopt;
  return json_of(*message);
}

// The pids of `parent`'s children (the hub's embedded Mosquitto), read before the parent dies.
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> children;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(parent) + "/task")) {
    std::ifstream in(task.path() / "children");
    for (pid_t pid = 0; in >> pid;) children.push_back(pid);
  }
  return children;
}

bool process_exists(pid_t pid) {
  return ::kill(pid, 0) == 0;
}

// Polls the device until `done` or the deadline (a generous one: this is waiting for an event).
template <typename Done>
bool device_eventually(DeviceRegisters& device, Done done, std::chrono::seconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (done(device)) return true;
    std::this_thread::sleep_for(100ms);
  }
  return done(device);
}

TEST(LiveHome, MeterPvBatteryAndPlugOnTheRealBusAndTheBatteryRevertsAfterTheHubIsKilled) {
  HEPEK_REQUIRE_HUB();
  HEPEK_REQUIRE_PLUGIN("meter-dsmr");
  HEPEK_REQUIRE_PLUGIN("sunspec");
  HEPEK_REQUIRE_PLUGIN("relay");

  t::PeerProcess p1({"/usr/bin/python3", peer_script("dsmr_replay.py"), "--port", "0", "--interval-ms",
                     "1000", t::testdata("dsmr/ndokter_telegram_v5.txt")});
  t::SunSpecSimulatorOptions simulated;
  simulated.device = "hybrid_battery.json";
  t::SunSpecSimulator inverter(simulated);

  const t::TempDir dir;
  const int port = t::free_port();
  const std::string data_dir = dir.file("data");
  const std::string config = t::write_config(dir.path(), port, home_config(p1.port(), inverter.port()));
  auto hub = std::make_unique<t::HubProcess>(config, data_dir);
  auto observer = t::connect_account(data_dir, port, "observer", "observer-live", 30000);
  ASSERT_TRUE(observer) << hub->log();
  observer->subscribe("hepek/#");
  observer->subscribe("cmnd/plug/POWER");
  observer->subscribe("stat/plug/POWER");

  // The plug joins the hub's broker with the hub's admin account (the broker has no per-appliance accounts;
  // the relay's topics are granted to the relay from its config, as plugins/relay/README.md says).
  const std::string admin_password = t::accounts(data_dir).at("admin").get<std::string>();
  t::PeerProcess plug({"/usr/bin/python3", peer_script("mqtt_plug.py"), "--port", std::to_string(port),
                       "--username", "admin", "--password", admin_password, "--name", "plug", "--state",
                       "ON"});

  // Readings flow with their metadata: every device announces its interfaces (retained) and publishes states.
  EXPECT_TRUE(announces(*observer, "meter", "grid_meter")) << hub->log();
  EXPECT_TRUE(announces(*observer, "hybrid-pv", "pv_inverter")) << hub->log() << inverter.log();
  EXPECT_TRUE(announces(*observer, "hybrid-battery", "battery")) << hub->log();
  EXPECT_TRUE(announces(*observer, "supply", "switch")) << hub->log();
  for (const char* device : {"meter", "hybrid-pv", "hybrid-battery", "supply"})
    EXPECT_TRUE(retained(data_dir, port, "hepek/" + std::string(device) + "/config")) << device;
  // The split devices are available only while the instance (its last will) is: Home Assistant's keys.
  for (const char* device : {"hybrid-pv", "hybrid-battery"}) {
    const auto config = observer->wait_for("hepek/" + std::string(device) + "/config");
    ASSERT_TRUE(config);
    const nlohmann::json expected = {{{"topic", "hepek/hybrid/availability"}},
                                     {{"topic", "hepek/" + std::string(device) + "/availability"}}};
    EXPECT_EQ(json_of(*config).value_or(nlohmann::json{}).value("availability", nlohmann::json{}), expected)
        << config->payload;
    EXPECT_EQ(json_of(*config).value_or(nlohmann::json{}).value("availability_mode", ""), "all");
  }
  // ndokter_telegram_v5.txt: 1-0:1.7.0 0.244 kW import, 1-0:1.8.1 + 1-0:1.8.2 = 4.426 + 2.399 kWh.
  const auto meter = state_where(*observer, "meter", "power", [](double w) { return w == 244; });
  ASSERT_TRUE(meter) << hub->log() << p1.log();
  EXPECT_EQ(meter->value("energy_import", 0.0), 6825.0) << meter->dump();
  // PV 4000 W DC × 0.97 efficiency; the battery at 50 %, idle on its own.
  EXPECT_TRUE(state_where(*observer, "hybrid-pv", "power", [](double w) { return std::abs(w - 3880) <= 5; }))
      << hub->log();
  const auto battery = state_where(*observer, "hybrid-battery", "soc", [](double soc) { return soc > 0; });
  ASSERT_TRUE(battery) << hub->log();
  EXPECT_EQ(battery->value("control", ""), "device") << battery->dump();
  EXPECT_TRUE(observer->wait_for("hepek/supply/state", [](const t::Received& m) {
    const auto json = json_of(m);
    return json && json->value("state", "") == "on";
  }));
  for (const char* device : {"meter", "hybrid", "hybrid-pv", "hybrid-battery", "supply"})
    EXPECT_TRUE(observer->wait_for("hepek/" + std::string(device) + "/availability",
                                   [](const t::Received& m) { return m.payload == "online"; }))
        << device;

  // A battery setpoint on the bus reaches the device's model 124 registers: charge 2000 W of WChaMax 5000 W
  // = StorCtl_Mod 3 (both limits), InWRte 40 %, OutWRte -40 % (InOutWRte_SF -1), revert after 60 s.
  auto admin_client = t::connect_account(data_dir, port, "admin", "admin-live");
  ASSERT_TRUE(admin_client);
  admin_client->subscribe("hepek/hybrid-battery/set/result");
  const auto accepted =
      admin_client->request("hepek/hybrid-battery/set", R"({"setpoint_w":-2000,"expires_s":60})",
                            "hepek/hybrid-battery/set/result", 30000);
  ASSERT_TRUE(accepted) << hub->log();
  EXPECT_EQ(json_of(*accepted).value_or(nlohmann::json{}).value("ok", false), true) << accepted->payload;
  DeviceRegisters device(inverter.port());
  EXPECT_EQ(device.point(124, "StorCtl_Mod"), 3);
  EXPECT_EQ(device.point(124, "InWRte"), 400);
  EXPECT_EQ(static_cast<int16_t>(device.point(124, "OutWRte")), -400);
  EXPECT_EQ(device.point(124, "InOutWRte_RvrtTms"), 60);
  // The simulated battery follows (its own 802 W, + = discharge) and the hub publishes what it does.
  EXPECT_TRUE(device_eventually(
      device, [](DeviceRegisters& d) { return static_cast<int16_t>(d.point(802, "W")) == -2000; }, 60s));
  const auto charging =
      state_where(*observer, "hybrid-battery", "power", [](double w) { return std::abs(w + 2000) <= 5; });
  ASSERT_TRUE(charging) << hub->log();
  EXPECT_EQ(charging->value("control", ""), "setpoint") << charging->dump();

  // The relay command reaches the plug and the plug's own report comes back as the relay's state.
  observer->clear();
  admin_client->publish("hepek/supply/set", R"({"state":"off"})");
  EXPECT_TRUE(observer->wait_for("cmnd/plug/POWER", [](const t::Received& m) { return m.payload == "OFF"; }));
  EXPECT_TRUE(observer->wait_for(
      "stat/plug/POWER", [](const t::Received& m) { return m.payload == "OFF"; }, 30000))
      << plug.log();
  EXPECT_TRUE(observer->wait_for("hepek/supply/state", [](const t::Received& m) {
    const auto json = json_of(m);
    return json && json->value("state", "") == "off";
  }));

  // The setpoint is renewed as a planner would, now with the plugin's default lifetime (kDefaultExpiresS), and
  // the hub is killed at once: nothing of it can lift the setpoint any more, only the device's timer.
  const auto renewed = admin_client->request("hepek/hybrid-battery/set", R"({"setpoint_w":-2000})",
                                             "hepek/hybrid-battery/set/result", 30000);
  ASSERT_TRUE(renewed);
  EXPECT_EQ(json_of(*renewed).value_or(nlohmann::json{}).value("ok", false), true) << renewed->payload;
  const std::vector<pid_t> broker = children_of(hub->pid());
  ASSERT_EQ(::kill(hub->pid(), SIGKILL), 0);
  EXPECT_EQ(hub->wait(30000), 128 + SIGKILL);
  // The broker hands out the hub's last wills as it goes: the sunspec instance's covers hepek/hybrid, which the
  // split devices' configs name as their availability (they have no will of their own).
  EXPECT_TRUE(observer->wait_for(
      "hepek/hybrid/availability", [](const t::Received& m) { return m.payload == "offline"; }, 30000));
  for (pid_t pid : broker)
    if (process_exists(pid)) ::kill(pid, SIGKILL);  // a broker the killed hub left behind
  EXPECT_EQ(device.point(124, "InOutWRte_RvrtTms"), kDefaultExpiresS);

  // Within the expiry (waited for with a generous deadline) the device drops the limits and the battery is
  // back on its own behaviour: idle, 0 W.
  EXPECT_TRUE(device_eventually(
      device, [](DeviceRegisters& d) { return d.point(124, "StorCtl_Mod") == 0 && d.point(802, "W") == 0; },
      std::chrono::seconds(kDefaultExpiresS + 60)))
      << "StorCtl_Mod " << device.point(124, "StorCtl_Mod") << ", 802 W "
      << static_cast<int16_t>(device.point(802, "W")) << "\n"
      << inverter.log();
  EXPECT_TRUE(plug.process().running()) << plug.log();  // paho keeps retrying; the plug never crashes
}

}  // namespace
