// A two-node RC thermal model of a house (Bacher & Madsen's "TiTm"): the indoor air (and furniture) at Ti with
// capacity Ci, the building mass at Tm with capacity Cm, Ria from the air to the outdoor air, Rim between air and
// mass. Heat inputs (solar through windows, internal gains, heating/cooling) go into the air node:
//   Ci·dTi/dt = (Ta − Ti)/Ria + (Tm − Ti)/Rim + Q
//   Cm·dTm/dt = (Ti − Tm)/Rim
// Units are the published fits' (Leprince et al.): C in kWh/K, R in K/kW, Q in kW, time in hours; HTC = 1/Ria.
//
// Contract: step() integrates exactly (matrix exponential of the linear system) for inputs held constant over
// the step, so any step length is exact; it also returns the step's heat flows (kWh) so that
// Ci·ΔTi + Cm·ΔTm = heat_in − heat_to_outdoor holds to rounding. Pure functions; parameters are validated by
// validate() (std::invalid_argument naming the parameter).
#pragma once

namespace hepek::sim {

struct RcParams {
  double ci_kwh_per_k = 6.0;   // indoor air (and furnishing)
  double cm_kwh_per_k = 20.0;  // building mass
  double ria_k_per_kw = 25.0;  // air to outdoor (1/HTC)
  double rim_k_per_kw = 1.1;   // air to mass
  double htc_kw_per_k() const { return 1.0 / ria_k_per_kw; }
};
void validate(const RcParams& params);

struct ThermalState {
  double indoor_c = 20.0;
  double mass_c = 20.0;
};

struct ThermalStep {
  ThermalState end;
  double heat_in_kwh = 0;          // Q·Δt
  double heat_to_outdoor_kwh = 0;  // ∫(Ti − Ta)/Ria dt
  double mean_indoor_c = 0;        // ∫Ti dt / Δt
};

// Advances `start` by `hours` with outdoor temperature `outdoor_c` and heat input `heat_kw` into the air node.
ThermalStep thermal_step(const RcParams& params, const ThermalState& start, double outdoor_c, double heat_kw,
                         double hours);

// Steady state for constant inputs: Ti = Tm = Ta + Q·Ria.
double steady_indoor_c(const RcParams& params, double outdoor_c, double heat_kw);

}  // namespace hepek::sim
