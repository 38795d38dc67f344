#include "battery_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace hepek::sim {
namespace {
void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument("battery: " + message);
}
}  // namespace

double BatteryStepResult::power_w() const {
  return average_power_w(discharge - charge, duration_ms);
}

Battery::Battery(BatteryOptions options) : options_(options) {
  require(options_.capacity_wh > 0, "capacity_wh must be > 0");
  require(options_.max_charge_w >= 0, "max_charge_w must be >= 0");
  require(options_.max_discharge_w >= 0, "max_discharge_w must be >= 0");
  require(options_.charge_efficiency > 0 && options_.charge_efficiency <= 1,
          "charge_efficiency must be in (0, 1]");
  require(options_.discharge_efficiency > 0 && options_.discharge_efficiency <= 1,
          "discharge_efficiency must be in (0, 1]");
  require(
      options_.soc_min_pct >= 0 && options_.soc_min_pct < options_.soc_max_pct && options_.soc_max_pct <= 100,
      "need 0 <= soc_min_pct < soc_max_pct <= 100");
  require(options_.self_discharge_pct_per_day >= 0 && options_.self_discharge_pct_per_day < 100,
          "self_discharge_pct_per_day must be in [0, 100)");
  require(options_.initial_soc_pct >= 0 && options_.initial_soc_pct <= 100,
          "initial_soc_pct must be in [0, 100]");
  capacity_ = std::llround(options_.capacity_wh * 1000.0);
  floor_ = std::llround(static_cast<double>(capacity_) * options_.soc_min_pct / 100.0);
  ceiling_ = std::llround(static_cast<double>(capacity_) * options_.soc_max_pct / 100.0);
  stored_ = std::llround(static_cast<double>(capacity_) * options_.initial_soc_pct / 100.0);
}

void Battery::set_setpoint(double power_w, std::int64_t now_ms, double expires_s) {
  if (!std::isfinite(power_w)) throw std::invalid_argument("battery: setpoint_w must be a finite number");
  if (!(expires_s > 0)) throw std::invalid_argument("battery: expires_s must be > 0");
  setpoint_w_ = power_w;
  setpoint_expiry_ms_ = now_ms + std::llround(expires_s * 1000.0);
}

std::optional<double> Battery::active_setpoint(std::int64_t now_ms) const {
  if (setpoint_w_ && now_ms < setpoint_expiry_ms_) return setpoint_w_;
  return std::nullopt;
}

double Battery::soc_pct() const {
  return 100.0 * static_cast<double>(stored_) / static_cast<double>(capacity_);
}

void Battery::restore_stored(MilliWattHours stored) {
  stored_ = std::clamp<MilliWattHours>(stored, 0, capacity_);
}

BatteryStepResult Battery::step(const BatteryStepInput& input) {
  BatteryStepResult result;
  result.duration_ms = input.duration_ms;
  if (input.duration_ms <= 0) return result;

  // Wanted AC energy, + = discharge.
  MilliWattHours wanted = input.load - input.pv;
  const std::optional<double> setpoint = active_setpoint(input.start_ms);
  if (setpoint && input.grid_connected) {
    wanted = energy_mwh(*setpoint, input.duration_ms);
    result.followed_setpoint = true;
  }

  if (wanted > 0) {
    const MilliWattHours power_cap = energy_mwh(options_.max_discharge_w, input.duration_ms);
    const MilliWattHours usable = std::max<MilliWattHours>(0, stored_ - floor_);
    const auto energy_cap =
        static_cast<MilliWattHours>(std::floor(static_cast<double>(usable) * options_.discharge_efficiency));
    MilliWattHours discharge = std::min({wanted, power_cap, energy_cap});
    MilliWattHours drawn = static_cast<MilliWattHours>(
        std::ceil(static_cast<double>(discharge) / options_.discharge_efficiency));
    if (drawn > usable) {  // guard against floating-point edge cases: never break the SoC floor
      drawn = usable;
      discharge = std::min(discharge, static_cast<MilliWattHours>(std::floor(static_cast<double>(drawn) *
                                                                             options_.discharge_efficiency)));
    }
    result.discharge = discharge;
    result.conversion_loss = drawn - discharge;
    stored_ -= drawn;
  } else if (wanted < 0) {
    const MilliWattHours power_cap = energy_mwh(options_.max_charge_w, input.duration_ms);
    const MilliWattHours room = std::max<MilliWattHours>(0, ceiling_ - stored_);
    const auto energy_cap =
        static_cast<MilliWattHours>(std::floor(static_cast<double>(room) / options_.charge_efficiency));
    const MilliWattHours charge = std::min({-wanted, power_cap, energy_cap});
    const MilliWattHours added = std::min(
        room,
        static_cast<MilliWattHours>(std::floor(static_cast<double>(charge) * options_.charge_efficiency)));
    result.charge = charge;
    result.conversion_loss = charge - added;
    stored_ += added;
  }

  const double fraction = options_.self_discharge_pct_per_day / 100.0 *
                          static_cast<double>(input.duration_ms) / static_cast<double>(24 * kMillisPerHour);
  result.self_discharge =
      std::min<MilliWattHours>(stored_, std::llround(static_cast<double>(stored_) * fraction));
  stored_ -= result.self_discharge;
  return result;
}

}  // namespace hepek::sim
