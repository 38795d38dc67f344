// Whose setting is in effect: the user's own (target temperature, HVAC mode, fan mode: from a command without
// expires_s, e.g. Home Assistant, or made on the unit itself) or a temporary override (a command with expires_s,
// the planner's) on top of it, until it lapses. Also tells the unit's reports of our own commands (echoes, and
// the stale reports in flight while a command travels) from changes a person made on the unit.
//
// Rules:
//  - command with expires_s: its fields join the override (an active one is extended, its other fields kept),
//    which lapses at now + expires_s; the user's setting is unchanged.
//  - command without expires_s: its fields become the user's setting and any override ends.
//  - when an override lapses (expire()), the user's setting is in effect again: the overridden fields are to be
//    re-sent to the unit.
//  - a unit report equal to the value in effect is an echo (and confirms what we sent); a different one while
//    our last command for that field is unconfirmed, for at most `echo_grace_ms`, is a stale report (in flight
//    before the unit saw the command; ignored); any other is a change made on the unit: it becomes the user's
//    setting and ends any override (a person at the unit outranks the planner).
// Every method takes the clock as an argument (pure, testable). Not thread-safe: the hub's event thread owns it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace hepek::climate {

enum class Field : std::size_t { target_temperature = 0, hvac_mode = 1, fan_mode = 2 };
inline constexpr std::size_t kFieldCount = 3;
inline constexpr std::array<const char*, kFieldCount> kFieldNames = {"target_temperature", "hvac_mode",
                                                                     "fan_mode"};
inline constexpr double kTemperatureTolerance = 0.05;

// One optional value per field (a number for target_temperature, a string for the modes).
struct Setting {
  std::array<std::optional<nlohmann::json>, kFieldCount> values;
  std::optional<nlohmann::json>& operator[](Field f) { return values[static_cast<std::size_t>(f)]; }
  const std::optional<nlohmann::json>& operator[](Field f) const {
    return values[static_cast<std::size_t>(f)];
  }
  nlohmann::json to_json() const;                     // {"target_temperature":..,...} (known fields only)
  static Setting from_json(const nlohmann::json& j);  // the known fields of an object; others ignored
};

// Which fields to send to the unit now.
using FieldsToSend = std::array<bool, kFieldCount>;

enum class ReportKind { echo, stale, user_change };

class SettingState {
 public:
  explicit SettingState(Setting user = {}, std::int64_t echo_grace_ms = 5000)
      : user_(std::move(user)), echo_grace_ms_(echo_grace_ms) {}

  const Setting& user() const { return user_; }
  Setting effective() const;
  std::optional<std::int64_t> override_until_ms() const { return override_until_ms_; }

  // A command's fields; with expires_s > 0 an override. Returns what to send (the named fields, and those an
  // ended override gives back).
  FieldsToSend command(const Setting& fields, std::optional<double> expires_s, std::int64_t now_ms);
  // Ends an override whose time has come; returns the fields to re-send (none when nothing lapsed).
  FieldsToSend expire(std::int64_t now_ms);
  // Call after sending a field's value to the unit: unconfirmed until it echoes it or echo_grace_ms pass.
  void sent(Field field, std::int64_t now_ms) { sent_ms_[static_cast<std::size_t>(field)] = now_ms; }
  // A value the unit reported. user_change updates the user's setting and ends any override; `to_send` then
  // says which other fields the ended override gives back.
  ReportKind report(Field field, const nlohmann::json& value, std::int64_t now_ms, FieldsToSend& to_send);

  static bool same(const std::optional<nlohmann::json>& a, const std::optional<nlohmann::json>& b);

 private:
  FieldsToSend end_override();
  Setting user_;
  Setting override_;
  std::optional<std::int64_t> override_until_ms_;
  std::array<std::optional<std::int64_t>, kFieldCount> sent_ms_;
  std::int64_t echo_grace_ms_;
};

}  // namespace hepek::climate
