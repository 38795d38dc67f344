// An air-to-air heat pump (AC) with a thermostat: the COP model and the per-step control decision.
//
// COP: a fixed fraction of the Carnot COP between the indoor and outdoor air, widened by heat-exchanger approach
// temperatures (both in K), capped to [cop_min, cop_max]:
//   heating COP = η · T_cond / (T_cond − T_evap), T_cond = Ti + approach, T_evap = To − approach
//   cooling EER = η · T_evap / (T_cond − T_evap), T_evap = Ti − approach, T_cond = To + approach
// With η = 0.45 and 10 K approaches: heating 4.1 at To = 7 °C, Ti = 20 °C (EN 14511 A7 ratings of split units:
// 3.5–5), 2.9 at −7 °C; cooling EER 4.7 at To = 35 °C, Ti = 27 °C (rated EER of splits: 3–5).
//
// Control: modulating, decided once per step. The unit holds the constant thermal power that brings the
// indoor temperature to the target at the end of the step (the house model is linear, so that power is
// exact), clamped to what it can deliver: min(max_thermal, max_electric · COP). Targets: heat → setpoint,
// cool → setpoint, auto → heat to setpoint − deadband/2 or cool to setpoint + deadband/2, idle in between;
// off → nothing. Pure functions.
#pragma once

#include <string>

#include "thermal_model.hpp"

namespace hepek::sim {

struct HeatPumpOptions {
  double carnot_efficiency = 0.45;
  double approach_k = 10.0;
  double cop_min = 1.0;
  double cop_max = 7.0;
  double max_thermal_kw = 5.0;
  double max_electric_kw = 1.8;
};
void validate(const HeatPumpOptions& options);

double heating_cop(const HeatPumpOptions& options, double indoor_c, double outdoor_c);
double cooling_eer(const HeatPumpOptions& options, double indoor_c, double outdoor_c);

enum class HvacMode { off, heat, cool, automatic };
HvacMode hvac_mode_of(const std::string& name);  // "off", "heat", "cool", "auto"; else std::invalid_argument
const char* hvac_mode_name(HvacMode mode);

struct HvacDecision {
  double thermal_kw = 0;        // + heating, − cooling (into the air node)
  double electric_kw = 0;       // drawn, >= 0
  double cop = 0;               // of the running direction; 0 when idle
  const char* action = "idle";  // Home Assistant hvac_action: off, idle, heating, cooling
};

struct HvacRequest {
  HvacMode mode = HvacMode::off;
  double setpoint_c = 21.0;
  double deadband_k = 1.0;
};

// The decision for a step of `hours` from `state` with outdoor `outdoor_c` and the other heat inputs
// `other_heat_kw` (solar and internal gains).
HvacDecision decide_hvac(const HeatPumpOptions& unit, const HvacRequest& request, const RcParams& house,
                         const ThermalState& state, double outdoor_c, double other_heat_kw, double hours);

}  // namespace hepek::sim
