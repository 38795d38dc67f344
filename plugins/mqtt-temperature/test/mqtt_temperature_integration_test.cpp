// mqtt-temperature against the real hub binary, its embedded Mosquitto and two thermometers in their own
// process (test/mqtt_thermometer.py, Debian's python3-paho-mqtt): a zigbee2mqtt-style one found only by its
// Home Assistant discovery document (role indoor) and a Tasmota-style one with abbreviated keys reporting °F
// (role outdoor). Shown: both become temperature_sensor devices with their roles and °C readings; a changed
// temperature comes through; the device's own availability turns the HEPEK device offline and online; bad
// readings are counted and change nothing; the discovery document removed takes the device offline; a
// configured-topic instance reads a plain payload. Waits are for events with generous deadlines.
#include <gtest/gtest.h>

#include <cmath>

#include <hepek/interfaces.hpp>
#include <nlohmann/json.hpp>

#include "peer_process.hpp"
#include "test_support.hpp"

namespace {

namespace t = hepek::testing;

constexpr const char* kConfig = R"(
[[plugin]]
id = "living"
type = "mqtt-temperature"
discovery_topic = "homeassistant/sensor/living/temperature/config"
state_topic = "zigbee2mqtt/#"
role = "indoor"

[[plugin]]
id = "garden"
type = "mqtt-temperature"
discovery_topic = "homeassistant/sensor/garden_DS18B20_Temperature/config"
state_topic = "tele/garden/#"
role = "outdoor"

[[plugin]]
id = "boiler"
type = "mqtt-temperature"
state_topic = "esphome/boiler/sensor/tank/state"
role = "none"
name = "Boiler tank"
)";

std::optional<nlohmann::json> json_of(const t::Received& m) {
  auto json = nlohmann::json::parse(m.payload, nullptr, false);
  if (json.is_discarded()) return std::nullopt;
  return json;
}

bool temperature_near(const t::Received& m, double celsius) {
  const auto json = json_of(m);
  return json && json->contains("temperature") && (*json)["temperature"].is_number() &&
         std::abs((*json)["temperature"].get<double>() - celsius) < 0.06;
}

class MqttTemperature : public ::testing::Test {
 protected:
  void SetUp() override {
    HEPEK_REQUIRE_HUB();
    HEPEK_REQUIRE_PLUGIN("mqtt-temperature");
    port_ = t::free_port();
    data_dir_ = dir_.file("data");
    hub_ = std::make_unique<t::HubProcess>(t::write_config(dir_.path(), port_, kConfig), data_dir_);
    observer_ = t::connect_account(data_dir_, port_, "observer", "observer-mqtt-temperature", 30000);
    ASSERT_TRUE(observer_) << hub_->log();
    observer_->subscribe("hepek/#");
    admin_ = t::connect_account(data_dir_, port_, "admin", "admin-mqtt-temperature");
    ASSERT_TRUE(admin_);
  }

  // A thermometer joins the hub's broker with the admin account, as appliances without their own account do.
  std::unique_ptr<t::PeerProcess> thermometer(const std::string& name, const std::string& style,
                                              double celsius) {
    const std::string password = t::accounts(data_dir_).at("admin").get<std::string>();
    return std::make_unique<t::PeerProcess>(std::vector<std::string>{
        "/usr/bin/python3", t::source_dir() + "/plugins/mqtt-temperature/test/mqtt_thermometer.py", "--port",
        std::to_string(port_), "--username", "admin", "--password", password, "--name", name, "--style",
        style, "--celsius", std::to_string(celsius), "--interval-ms", "300"});
  }

  bool state_near(const std::string& device, double celsius) {
    return observer_
        ->wait_for(
            "hepek/" + device + "/state", [&](const t::Received& m) { return temperature_near(m, celsius); },
            30000)
        .has_value();
  }
  bool availability_is(const std::string& device, const char* payload) {
    return observer_
        ->wait_for(
            "hepek/" + device + "/availability", [&](const t::Received& m) { return m.payload == payload; },
            30000)
        .has_value();
  }

  t::TempDir dir_;
  int port_ = 0;
  std::string data_dir_;
  std::unique_ptr<t::HubProcess> hub_;
  std::unique_ptr<t::MqttClient> observer_, admin_;
};

TEST_F(MqttTemperature, DevicesFoundByDiscoveryBecomeIndoorAndOutdoorSensors) {
  auto living = thermometer("living", "zigbee2mqtt", 21.5);
  auto garden = thermometer("garden", "tasmota", 4.0);

  for (const auto& [device, role] : {std::pair{"living", "indoor"}, std::pair{"garden", "outdoor"}}) {
    const auto config = observer_->wait_for("hepek/" + std::string(device) + "/config", {}, 30000);
    ASSERT_TRUE(config) << hub_->log();
    const auto status =
        hepek::interfaces::check_implements(*json_of(*config), hepek::interfaces::kTemperatureSensor, role);
    EXPECT_TRUE(status.ok()) << status.error() << "\n" << config->payload;
  }
  EXPECT_TRUE(state_near("living", 21.5)) << hub_->log() << living->log();
  EXPECT_TRUE(state_near("garden", 4.0)) << hub_->log() << garden->log();  // 39.2 °F
  EXPECT_TRUE(availability_is("living", "online"));
  EXPECT_TRUE(availability_is("garden", "online"));
  // The announced name is taken when the config has none.
  EXPECT_TRUE(observer_->wait_for("hepek/living/config", [](const t::Received& m) {
    const auto json = json_of(m);
    return json && json->value("name", "") == "living temperature";
  }));

  admin_->publish("thermometer/living/control", "celsius 23.25");
  EXPECT_TRUE(state_near("living", 23.25));

  // The device says it is gone (zigbee2mqtt's availability JSON; Tasmota's LWT) and back.
  observer_->clear();
  admin_->publish("thermometer/living/control", "offline");
  admin_->publish("thermometer/garden/control", "offline");
  EXPECT_TRUE(availability_is("living", "offline")) << hub_->log();
  EXPECT_TRUE(availability_is("garden", "offline")) << hub_->log();
  admin_->publish("thermometer/living/control", "online");
  EXPECT_TRUE(availability_is("living", "online")) << hub_->log();

  // The document removed: the device is no longer followed and goes offline; readings are ignored.
  observer_->clear();
  admin_->publish("thermometer/living/control", "remove");
  EXPECT_TRUE(availability_is("living", "offline")) << hub_->log();
  EXPECT_NE(hub_->log().find("removed its discovery document"), std::string::npos) << hub_->log();
  EXPECT_TRUE(hub_->running());
}

TEST_F(MqttTemperature, BadReadingsAndDocumentsAreCountedAndChangeNothing) {
  // A configured topic with a plain payload (ESPHome's sensor state topics, retained as ESPHome does, so the
  // plugin gets it whenever it subscribes).
  admin_->publish("esphome/boiler/sensor/tank/state", "55.4", 1, true);
  EXPECT_TRUE(state_near("boiler", 55.4)) << hub_->log();
  EXPECT_TRUE(availability_is("boiler", "online"));
  observer_->clear();
  for (const char* bad : {"warm", "", "nan", "1e999", "850", "{\"temperature\":21}", "\xff\xfe"})
    admin_->publish("esphome/boiler/sensor/tank/state", bad);
  admin_->publish("esphome/boiler/sensor/tank/state", "56.0");
  const auto next = observer_->wait_for(
      "hepek/boiler/state", [](const t::Received& m) { return temperature_near(m, 56.0); }, 30000);
  ASSERT_TRUE(next) << hub_->log();
  EXPECT_EQ(json_of(*next)->value("errors", -1), 7) << next->payload;
  // Nothing came of the bad readings, and the retained reading was handed to the plugin once (the hub used to
  // subscribe twice as the plugin's session came up, and the broker re-sent it): every state since is the one
  // after them.
  for (const auto& m : observer_->messages()) {
    if (m.topic == "hepek/boiler/state") {
      EXPECT_TRUE(temperature_near(m, 56.0)) << m.payload;
    }
  }

  // Discovery documents that are not a usable temperature sensor: refused with the reason, nothing followed.
  auto garden = thermometer("garden", "tasmota", 4.0);
  EXPECT_TRUE(state_near("garden", 4.0)) << hub_->log();
  for (const char* bad : {R"({"dev_cla":"humidity","stat_t":"tele/garden/SENSOR"})",
                          "{\"dev_cla\":", R"({"dev_cla":"temperature","stat_t":"elsewhere/SENSOR"})"})
    admin_->publish("homeassistant/sensor/garden_DS18B20_Temperature/config", bad, 1, false);
  admin_->publish("thermometer/garden/control", "celsius 5.5");
  EXPECT_TRUE(state_near("garden", 5.5)) << hub_->log();  // still following the good document
  const std::string log = hub_->log();
  EXPECT_NE(log.find("device_class \"humidity\""), std::string::npos) << log;
  EXPECT_NE(log.find("not valid JSON"), std::string::npos) << log;
  EXPECT_NE(log.find("does not cover"), std::string::npos) << log;
  EXPECT_TRUE(hub_->running());
}

}  // namespace
