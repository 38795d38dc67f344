// The simulated house: the RC thermal model (thermal_model.hpp), solar gain through one window plane, internal
// gains, and the AC/heat pump with its thermostat (heat_pump_model.hpp), advanced one step at a time.
//
// Solar gain = window area · g-value · plane-of-array irradiance on a vertical plane facing `window_azimuth_deg`
// (pv_model.hpp's clear-sky model, tilt 90°) · the clear-sky index of `clouds`, averaged over 5-minute
// midpoints of the step. The AC's decision is taken at the start of the step and held over it (see
// decide_hvac). Its electric energy is integer mWh (energy.hpp) for the grid meter. Deterministic; not
// thread-safe.
#pragma once

#include <cstdint>
#include <memory>

#include "energy.hpp"
#include "heat_pump_model.hpp"
#include "pv_model.hpp"
#include "thermal_model.hpp"

namespace hepek::sim {

struct HouseOptions {
  RcParams rc;
  HeatPumpOptions unit;
  double latitude_deg = 52.10, longitude_deg = 5.18;
  double window_area_m2 = 8.0;
  double window_g_value = 0.6;
  double window_azimuth_deg = 180.0;
  double initial_indoor_c = 20.0;
};

struct HouseStep {
  ThermalStep thermal;
  HvacDecision hvac;
  double solar_kw = 0;
  MilliWattHours electric_mwh = 0;
  double thermal_kwh = 0;  // |heat moved| by the unit
};

class House {
 public:
  House(HouseOptions options, std::unique_ptr<CloudSeries> clouds);
  double solar_gain_kw(std::int64_t start_ms, std::int64_t duration_ms);
  HouseStep step(std::int64_t start_ms, std::int64_t duration_ms, double outdoor_c, double internal_kw,
                 const HvacRequest& request);
  const ThermalState& state() const { return state_; }
  const HouseOptions& options() const { return options_; }

 private:
  HouseOptions options_;
  ClearSkyPv window_;
  std::unique_ptr<CloudSeries> clouds_;
  ThermalState state_;
};

}  // namespace hepek::sim
