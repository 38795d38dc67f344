// Reading and writing a climate unit's MQTT payloads, Home Assistant MQTT climate style: a state topic carries
// a plain value ("cool", "22.5") or a JSON object of which one configured key holds the value (HA's
// `value_template: "{{ value_json.key }}"`, here only the key name). Modes, actions and fan modes are mapped
// between HEPEK's names and the unit's payloads (Tasmota/ESPHome say "COOL" or "cool"; matching is
// case-insensitive, commands are sent exactly as configured).
//
// Contract: pure functions. Every failure is a Result error whose text is the *kind* of bad input first (up to
// the first ':'), then details, so a caller can log each kind once; nothing throws on bad input.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <hepek/result.hpp>

namespace hepek::climate {

// The largest payload read from the unit; anything longer is refused unread.
inline constexpr std::size_t kMaxUnitPayload = 4096;

// The value text of a payload: the payload itself (trimmed, surrounding quotes dropped) when json_key is
// empty, else the JSON object's member json_key (a string, or a number/boolean as its JSON text).
Result<std::string> extract_value(std::string_view payload, const std::string& json_key);

// A finite temperature in -50..100 °C from a value text.
Result<double> parse_temperature(const std::string& value);
// A finite, non-negative power in W (at most 1 MW) from a value text.
Result<double> parse_power(const std::string& value);

// HEPEK names <-> the unit's payloads.
class PayloadMap {
 public:
  // `what` names the thing mapped in errors ("mode", "action", "fan mode").
  PayloadMap(std::string what, std::map<std::string, std::string> name_to_payload)
      : what_(std::move(what)), to_payload_(std::move(name_to_payload)) {}
  // The payload to send for a HEPEK name; the name itself when it has no mapping.
  std::string payload_for(const std::string& name) const;
  // The HEPEK name of a reported payload (case-insensitive against the mapped payloads and the names).
  Result<std::string> name_of(const std::string& payload) const;
  const std::map<std::string, std::string>& mapping() const { return to_payload_; }

 private:
  std::string what_;
  std::map<std::string, std::string> to_payload_;
};

// The unit's temperature command payload: the number with at most one decimal ("22", "22.5").
std::string format_temperature(double celsius);

}  // namespace hepek::climate
