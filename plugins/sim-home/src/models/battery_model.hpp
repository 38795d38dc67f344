// A home battery: capacity, AC charge/discharge power limits, charge and discharge efficiency, SoC window and
// self-discharge; driven by setpoints that expire, falling back to self-consumption.
//
// Contract: all energy is integer mWh. Per step the AC-side charge C and discharge D (never both) change the
// stored energy by floor(C·η_charge) and −ceil(D/η_discharge), then self-discharge removes
// round(stored·rate·Δt). Stored energy stays within [soc_min, soc_max] for charge/discharge (self-discharge
// may take it below soc_min, as in a real cell) and never below 0. Every mWh is accounted for: stored_end =
// stored_start + ΣC − ΣD − Σconversion_loss − Σself_discharge, exactly. Setpoint sign: + = discharge (Home
// Assistant convention). A setpoint applies until its expiry; without one — or when islanded (grid not
// connected) — the battery covers load − PV (self-consumption). Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "energy.hpp"

namespace hepek::sim {

struct BatteryOptions {
  double capacity_wh = 10'000;
  double max_charge_w = 5'000;
  double max_discharge_w = 5'000;
  double charge_efficiency = 0.95;
  double discharge_efficiency = 0.95;
  double soc_min_pct = 5;
  double soc_max_pct = 100;
  double self_discharge_pct_per_day = 0.1;
  double initial_soc_pct = 50;
};

struct BatteryStepInput {
  std::int64_t start_ms = 0;
  std::int64_t duration_ms = 0;
  MilliWattHours load = 0;  // the home's consumption over the step
  MilliWattHours pv = 0;    // PV delivered over the step
  bool grid_connected = true;
};

struct BatteryStepResult {
  MilliWattHours charge = 0;     // AC energy taken in
  MilliWattHours discharge = 0;  // AC energy delivered
  MilliWattHours conversion_loss = 0;
  MilliWattHours self_discharge = 0;
  bool followed_setpoint = false;
  double power_w() const;  // average AC power, + = discharge
  std::int64_t duration_ms = 0;
};

class Battery {
 public:
  explicit Battery(BatteryOptions options);

  // A setpoint in W (+ discharge / − charge) valid for `expires_s` seconds from `now_ms`.
  void set_setpoint(double power_w, std::int64_t now_ms, double expires_s);
  std::optional<double> active_setpoint(std::int64_t now_ms) const;

  BatteryStepResult step(const BatteryStepInput& input);

  MilliWattHours stored() const { return stored_; }
  MilliWattHours capacity() const { return capacity_; }
  double soc_pct() const;
  void restore_stored(MilliWattHours stored);  // e.g. from a persisted state; clamped to [0, capacity]

 private:
  BatteryOptions options_;
  MilliWattHours capacity_ = 0;
  MilliWattHours floor_ = 0;
  MilliWattHours ceiling_ = 0;
  MilliWattHours stored_ = 0;
  std::optional<double> setpoint_w_;
  std::int64_t setpoint_expiry_ms_ = 0;
};

}  // namespace hepek::sim
