// The user's thermostat setting and a temporary override (the climate interface's expires_s semantics).
//
// Contract: apply() without expires_s changes the user's own setpoint/mode and ends any override; with it the
// command (on top of what is in effect) holds until now + expires_s, then in_effect() lapses back to the user's
// setting. Fields a command leaves out keep their value. Header-only; not thread-safe.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>

#include "heat_pump_model.hpp"

namespace hepek::sim {

class ThermostatSetting {
 public:
  explicit ThermostatSetting(HvacRequest user) : user_(user) {}

  void apply(std::optional<double> setpoint_c, std::optional<HvacMode> mode, std::optional<double> expires_s,
             std::int64_t now_ms) {
    HvacRequest next = expires_s ? in_effect(now_ms) : user_;
    if (setpoint_c) next.setpoint_c = *setpoint_c;
    if (mode) next.mode = *mode;
    if (expires_s) {
      override_ = next;
      until_ms_ = now_ms + std::llround(*expires_s * 1000.0);
    } else {
      user_ = next;
      override_.reset();
    }
  }

  HvacRequest in_effect(std::int64_t now_ms) {
    if (override_ && now_ms >= until_ms_) override_.reset();
    return override_ ? *override_ : user_;
  }

  // End of the override in effect (after in_effect() for the current time), or nullopt.
  std::optional<std::int64_t> override_until_ms() const {
    return override_ ? std::optional<std::int64_t>(until_ms_) : std::nullopt;
  }

 private:
  HvacRequest user_;
  std::optional<HvacRequest> override_;
  std::int64_t until_ms_ = 0;
};

}  // namespace hepek::sim
