// Home Assistant discovery documents as zigbee2mqtt (long keys, an availability list) and Tasmota (abbreviated
// keys, `~`, °F) publish them, an empty document (removed), and documents that are not a usable temperature.
#include <gtest/gtest.h>

#include "discovery_sensor.hpp"

namespace hepek::mqtt_temperature {
namespace {

// zigbee2mqtt 1.x for an Aqara WSDCGQ11LM (trimmed of keys this plugin does not read).
constexpr const char* kZigbee2mqtt = R"({
  "availability": [{"topic": "zigbee2mqtt/bridge/state", "value_template": "{{ value_json.state }}"},
                   {"topic": "zigbee2mqtt/living/availability", "value_template": "{{ value_json.state }}"}],
  "availability_mode": "all", "device_class": "temperature", "enabled_by_default": true,
  "name": "living temperature", "state_class": "measurement", "state_topic": "zigbee2mqtt/living",
  "unique_id": "0x00158d0001a2b3c4_temperature_zigbee2mqtt", "unit_of_measurement": "°C",
  "value_template": "{{ value_json.temperature }}"})";

// Tasmota 12 for a DS18B20 on tele/garden/SENSOR, reporting in °F.
constexpr const char* kTasmota = R"({"name":"garden DS18B20 Temperature","stat_t":"~SENSOR","avty_t":"~LWT",
  "pl_avail":"Online","pl_not_avail":"Offline","uniq_id":"A1B2C3_DS18B20_Temperature","dev":{"ids":["A1B2C3"]},
  "unit_of_meas":"°F","dev_cla":"temperature","frc_upd":true,
  "val_tpl":"{{value_json['DS18B20'].Temperature}}","~":"tele/garden/"})";

TEST(DiscoverySensor, Zigbee2mqtt) {
  const auto parsed = parse_discovery_sensor(kZigbee2mqtt);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  ASSERT_TRUE(*parsed);
  const DiscoveredSensor& s = **parsed;
  EXPECT_EQ(s.state_topic, "zigbee2mqtt/living");
  EXPECT_EQ(s.value.keys, std::vector<std::string>{"temperature"});
  EXPECT_EQ(s.unit, TemperatureUnit::celsius);
  EXPECT_EQ(s.name, "living temperature");
  EXPECT_EQ(s.availability_topic, "zigbee2mqtt/living/availability");  // the device's own, the last one
  EXPECT_EQ(s.availability_value.keys, std::vector<std::string>{"state"});
  EXPECT_EQ(s.payload_available, "online");
}

TEST(DiscoverySensor, TasmotaAbbreviationsAndTheBaseTopic) {
  const auto parsed = parse_discovery_sensor(kTasmota);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  const DiscoveredSensor& s = **parsed;
  EXPECT_EQ(s.state_topic, "tele/garden/SENSOR");
  EXPECT_EQ(s.value.keys, (std::vector<std::string>{"DS18B20", "Temperature"}));
  EXPECT_EQ(s.unit, TemperatureUnit::fahrenheit);
  EXPECT_EQ(s.availability_topic, "tele/garden/LWT");
  EXPECT_EQ(s.payload_available, "Online");
  EXPECT_EQ(s.payload_not_available, "Offline");
  EXPECT_EQ(s.unique_id, "A1B2C3_DS18B20_Temperature");
}

TEST(DiscoverySensor, AnEmptyDocumentIsARemoval) {
  const auto parsed = parse_discovery_sensor("");
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(*parsed);
}

TEST(DiscoverySensor, RefusesWhatIsNotAUsableTemperatureNamingTheKey) {
  const auto error = [](const std::string& doc) {
    const auto parsed = parse_discovery_sensor(doc);
    EXPECT_FALSE(parsed.ok()) << doc;
    return parsed.ok() ? std::string() : parsed.error();
  };
  EXPECT_NE(error(R"({"device_class":"humidity","state_topic":"a"})").find("device_class \"humidity\""),
            std::string::npos);
  EXPECT_NE(error(R"({"device_class":"temperature"})").find("no state_topic"), std::string::npos);
  EXPECT_NE(
      error(R"({"device_class":"temperature","state_topic":7})").find("\"state_topic\" is not a string"),
      std::string::npos);
  EXPECT_NE(error(R"({"dev_cla":"temperature","stat_t":"a","val_tpl":"{{ value_json.t * 2 }}"})")
                .find("value_template"),
            std::string::npos);
  EXPECT_NE(
      error(R"({"dev_cla":"temperature","stat_t":"a","unit_of_meas":"%"})").find("not a temperature unit"),
      std::string::npos);
  EXPECT_NE(error(R"({"dev_cla":"temperature","stat_t":"a","avty":{}})").find("\"avty\" is not a list"),
            std::string::npos);
  EXPECT_NE(error(R"({"dev_cla":"temperature","stat_t":"a","avty":[{}]})").find("without a topic"),
            std::string::npos);
  EXPECT_NE(error("[1,2]").find("not a JSON object"), std::string::npos);
  EXPECT_NE(error("{\"dev_cla\":").find("not valid JSON"), std::string::npos);
}

}  // namespace
}  // namespace hepek::mqtt_temperature
