// A Home Assistant MQTT discovery document of a temperature sensor (homeassistant/sensor/<node>/<object>/config),
// as zigbee2mqtt, Tasmota (abbreviated keys), ESPHome and Shelly integrations publish it.
//
// parse_discovery_sensor(payload) reads state_topic, value_template, unit_of_measurement, device_class, name,
// unique_id and availability (availability_topic or the first of an availability list, payload_available /
// payload_not_available), in long or abbreviated form (stat_t, val_tpl, unit_of_meas, dev_cla, avty_t, avty,
// pl_avail, pl_not_avail, uniq_id) with `~` expanded at either end of a topic. It refuses, naming the key, what
// is not a temperature sensor (device_class other than temperature), lacks a state topic, has a template this
// plugin cannot evaluate or a unit that is not a temperature. An empty payload is "removed" (HA's convention).
// Pure function; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <hepek/result.hpp>

#include "reading_value.hpp"

namespace hepek::mqtt_temperature {

struct DiscoveredSensor {
  std::string state_topic;
  ValuePath value;
  TemperatureUnit unit = TemperatureUnit::celsius;
  std::string name;
  std::string unique_id;
  std::string availability_topic;  // empty: none announced
  std::string payload_available = "online";
  std::string payload_not_available = "offline";
  ValuePath availability_value;  // where the availability payload sits (zigbee2mqtt: value_json.state)

  bool operator==(const DiscoveredSensor& other) const {
    return state_topic == other.state_topic && value.keys == other.value.keys && unit == other.unit &&
           name == other.name && unique_id == other.unique_id &&
           availability_topic == other.availability_topic && payload_available == other.payload_available &&
           payload_not_available == other.payload_not_available &&
           availability_value.keys == other.availability_value.keys;
  }
};

// nullopt inside: the payload was empty (the device removed itself).
Result<std::optional<DiscoveredSensor>> parse_discovery_sensor(std::string_view payload);

}  // namespace hepek::mqtt_temperature
