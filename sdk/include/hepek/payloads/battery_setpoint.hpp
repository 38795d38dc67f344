// The battery setpoint command on hepek/<battery>/set (the battery interface, interfaces.hpp): hold
// setpoint_w (integer W, + = discharge, - = charge) for expires_s seconds, then fall back to the battery's
// own self-consumption. {"setpoint_w":-2000,"expires_s":900}. Sent by the planner; read by every battery
// plugin.
//
// Contract: header-only value type; parse() never throws. expires_s may be absent (the battery's default
// lifetime applies) but, when given, is a positive integer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "../result.hpp"
#include "json_fields.hpp"

namespace hepek::payloads {

struct BatterySetpoint {
  std::int64_t setpoint_w = 0;
  std::optional<std::int64_t> expires_s;

  bool operator==(const BatterySetpoint&) const = default;

  nlohmann::json to_json() const {
    nlohmann::json j{{"setpoint_w", setpoint_w}};
    if (expires_s) j["expires_s"] = *expires_s;
    return j;
  }

  static Result<BatterySetpoint> parse(const nlohmann::json& json) {
    using R = Result<BatterySetpoint>;
    const std::string what = "battery setpoint";
    if (!json.is_object()) return R::failure(what + " is not a JSON object");
    const auto setpoint = fields::integer(json, "setpoint_w", "");
    if (!setpoint) return R::failure(what + ": " + setpoint.error() + " (W, + = discharge)");
    const auto expires = fields::optional_integer(json, "expires_s", "");
    if (!expires) return R::failure(what + ": " + expires.error());
    if (*expires && **expires <= 0) return R::failure(what + ": expires_s must be positive");
    return R::success({*setpoint, *expires});
  }

  // Text overloads (a std::string would otherwise convert to both string_view and json).
  static Result<BatterySetpoint> parse(const std::string& text) { return parse(std::string_view(text)); }
  static Result<BatterySetpoint> parse(const char* text) { return parse(std::string_view(text)); }
  static Result<BatterySetpoint> parse(std::string_view text) {
    auto json = fields::object_from_text(text, "battery setpoint");
    if (!json) return Result<BatterySetpoint>::failure(json.error());
    return parse(*json);
  }
};

}  // namespace hepek::payloads
