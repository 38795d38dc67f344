// Identification of the TiTm RC house model (thermal_model.hpp) from measurements: indoor temperature, outdoor
// temperature, solar (Ps, ≈ kW/m² on the facade) and a heating signal (unit unknown: a gain is fitted).
// Inputs are held over each sample interval (zero-order hold, as in ctsm-r's discretisation).
//
// Model fitted: Ci·dTi = ((Ta−Ti)/Ria + (Tm−Ti)/Rim + Aw·Ps + Ah·heat)·dt, Cm·dTm = (Ti−Tm)/Rim·dt; parameters
// Ci, Cm, Ria, Rim, Aw (m², kW per kW/m²), Ah (kW per heating unit), Tm0.
// Objective: "one-step" (the published fits' criterion): each step starts from the measured Ti and the model's
// own Tm (an observer that trusts the thermometer), residual = measured − predicted next Ti; or "simulation"
// (free run from the first sample). Minimised by Nelder–Mead on the logarithms of the positive parameters.
//
// Contract: read_leprince_csv() throws std::invalid_argument naming the file and line; fit_rc() is
// deterministic. Not thread-safe only in the sense that it is a pure function (no shared state).
#pragma once

#include <string>
#include <vector>

#include "thermal_model.hpp"

namespace hepek::sim {

struct ThermalSample {
  double outdoor_c = 0, indoor_c = 0, solar = 0, heat = 0;
};

struct ThermalData {
  double step_hours = 0.25;
  std::vector<ThermalSample> samples;
};

// A Leprince et al. building file: `;t;Ps;Ta;yTi;Thm`, 15-min rows.
ThermalData read_leprince_csv(const std::string& path);

struct RcFitParams {
  RcParams rc;
  double window_area_m2 = 0;  // Aw
  double heat_gain_kw = 0;    // Ah, kW per unit of the heating signal
  double mass_start_c = 20;   // Tm0
};

enum class FitObjective { one_step, simulation };

// Residuals (measured − predicted) of `params` on `data`: one per step after the first.
std::vector<double> rc_residuals(const RcFitParams& params, const ThermalData& data, FitObjective objective);

struct RcFitResult {
  RcFitParams params;
  double residual_std = 0;
  int evaluations = 0;
};

// On one-step errors the data determine the air node's rates (1/(Ria·Ci), 1/(Rim·Ci), Aw/Ci, Ah/Ci) but hardly
// the mass: on the Leprince building 2 the mass runs off to a fixed-temperature reservoir at no cost in
// residual (README, "Fit"), so compare those rates, not Ci or Cm alone.
RcFitResult fit_rc(const ThermalData& data, const RcFitParams& start, FitObjective objective);

double standard_deviation(const std::vector<double>& values);

}  // namespace hepek::sim
