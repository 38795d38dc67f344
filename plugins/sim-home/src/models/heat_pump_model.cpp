#include "heat_pump_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace hepek::sim {
namespace {
constexpr double kKelvin = 273.15;

double carnot_fraction(const HeatPumpOptions& o, double useful_k, double lift_k) {
  const double cop = lift_k > 0 ? o.carnot_efficiency * useful_k / lift_k : o.cop_max;
  return std::clamp(cop, o.cop_min, o.cop_max);
}
}  // namespace

void validate(const HeatPumpOptions& o) {
  if (!(o.carnot_efficiency > 0 && o.carnot_efficiency <= 1))
    throw std::invalid_argument("house: carnot_efficiency must be within (0, 1]");
  if (!(o.approach_k >= 0)) throw std::invalid_argument("house: approach_k must be >= 0");
  if (!(o.cop_min > 0 && o.cop_max >= o.cop_min))
    throw std::invalid_argument("house: need 0 < cop_min <= cop_max");
  if (!(o.max_thermal_kw >= 0) || !(o.max_electric_kw >= 0))
    throw std::invalid_argument("house: max_thermal_w and max_electric_w must be >= 0");
}

double heating_cop(const HeatPumpOptions& o, double indoor_c, double outdoor_c) {
  const double condensing = indoor_c + o.approach_k + kKelvin,
               evaporating = outdoor_c - o.approach_k + kKelvin;
  return carnot_fraction(o, condensing, condensing - evaporating);
}

double cooling_eer(const HeatPumpOptions& o, double indoor_c, double outdoor_c) {
  const double evaporating = indoor_c - o.approach_k + kKelvin,
               condensing = outdoor_c + o.approach_k + kKelvin;
  return carnot_fraction(o, evaporating, condensing - evaporating);
}

HvacMode hvac_mode_of(const std::string& name) {
  if (name == "off") return HvacMode::off;
  if (name == "heat") return HvacMode::heat;
  if (name == "cool") return HvacMode::cool;
  if (name == "auto") return HvacMode::automatic;
  throw std::invalid_argument("hvac_mode must be off, heat, cool or auto, got \"" + name + "\"");
}

const char* hvac_mode_name(HvacMode mode) {
  switch (mode) {
    case HvacMode::heat:
      return "heat";
    case HvacMode::cool:
      return "cool";
    case HvacMode::automatic:
      return "auto";
    case HvacMode::off:
      break;
  }
  return "off";
}

HvacDecision decide_hvac(const HeatPumpOptions& unit, const HvacRequest& request, const RcParams& house,
                         const ThermalState& state, double outdoor_c, double other_heat_kw, double hours) {
  HvacDecision decision;
  if (request.mode == HvacMode::off) {
    decision.action = "off";
    return decision;
  }
  // The end temperature is affine in the HVAC power: Ti_end(Q) = free + Q·slope.
  const double free = thermal_step(house, state, outdoor_c, other_heat_kw, hours).end.indoor_c;
  const double slope = thermal_step(house, state, outdoor_c, other_heat_kw + 1.0, hours).end.indoor_c - free;
  const bool may_heat = request.mode == HvacMode::heat || request.mode == HvacMode::automatic;
  const bool may_cool = request.mode == HvacMode::cool || request.mode == HvacMode::automatic;
  const double half_band = request.mode == HvacMode::automatic ? request.deadband_k / 2.0 : 0.0;
  const double heat_target = request.setpoint_c - half_band, cool_target = request.setpoint_c + half_band;
  if (may_heat && free < heat_target) {
    const double cop = heating_cop(unit, state.indoor_c, outdoor_c);
    const double wanted = (heat_target - free) / slope;
    decision.thermal_kw = std::min({wanted, unit.max_thermal_kw, unit.max_electric_kw * cop});
    decision.cop = cop;
    decision.action = "heating";
  } else if (may_cool && free > cool_target) {
    const double cop = cooling_eer(unit, state.indoor_c, outdoor_c);
    const double wanted = (free - cool_target) / slope;
    decision.thermal_kw = -std::min({wanted, unit.max_thermal_kw, unit.max_electric_kw * cop});
    decision.cop = cop;
    decision.action = "cooling";
  }
  if (decision.cop > 0) decision.electric_kw = std::abs(decision.thermal_kw) / decision.cop;
  if (decision.electric_kw == 0) {
    decision.action = "idle";
    decision.cop = 0;
  }
  return decision;
}

}  // namespace hepek::sim
