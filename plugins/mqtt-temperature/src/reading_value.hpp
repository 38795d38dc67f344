// Where a temperature sits in a third-party device's MQTT payload, and its unit.
//
//  - ValuePath: "" (the payload is the number, e.g. Tasmota's plain topics, ESPHome's state topics) or a dotted
//    JSON key path ("temperature" for zigbee2mqtt, "DS18B20.Temperature" for Tasmota's tele/<x>/SENSOR,
//    "tC" for a Shelly). from_template() reads the Home Assistant value_template forms such devices announce:
//    {{ value }}, {{ value_json.a.b }}, {{ value_json['a'] }} / ["a"], each optionally followed by the filters
//    `| float`, `| float(0)`, `| round(n)`, `| int` (anything else is refused: there is no template engine here).
//  - TemperatureUnit: °C, °F or K (also "C", "F", "degC"...), converted to °C.
//  - read_celsius(payload, path, unit): the payload's temperature in °C, or an error naming what is wrong (not
//    JSON, the key missing, not a number, out of the physically possible -100..150 °C).
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <hepek/result.hpp>

namespace hepek::mqtt_temperature {

struct ValuePath {
  std::vector<std::string> keys;  // empty: the payload itself

  static Result<ValuePath> from_keys(std::string_view dotted);
  static Result<ValuePath> from_template(std::string_view value_template);
  std::string describe() const;  // "the payload" or "value_json.a.b"
};

enum class TemperatureUnit { celsius, fahrenheit, kelvin };

Result<TemperatureUnit> parse_unit(std::string_view text);
double to_celsius(double value, TemperatureUnit unit);

Result<double> read_celsius(std::string_view payload, const ValuePath& path, TemperatureUnit unit);
// The text at `path` (the payload itself when empty; a JSON string, or a number or boolean's JSON text); nullopt
// when the payload is not JSON or has no such key.
std::optional<std::string> read_text(std::string_view payload, const ValuePath& path);

}  // namespace hepek::mqtt_temperature
