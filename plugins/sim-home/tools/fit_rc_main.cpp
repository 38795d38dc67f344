// sim_fit_rc: fits the TiTm house model to a Leprince et al. building file and prints the parameters, the time
// constants and the residual std as JSON (the numbers in plugins/sim-home/README.md's fit table).
//   sim_fit_rc testdata/thermal/leprince_blg_2.csv [one-step|simulation]
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "rc_fit.hpp"

int main(int argc, char** argv) {
  using namespace hepek::sim;
  if (argc < 2) {
    std::cerr << "usage: sim_fit_rc <leprince building csv> [one-step|simulation] [published]\n";
    return 2;
  }
  try {
    const std::string mode = argc > 2 ? argv[2] : "one-step";
    if (mode != "one-step" && mode != "simulation") throw std::invalid_argument("objective: " + mode);
    const ThermalData data = read_leprince_csv(argv[1]);
    RcFitParams start;
    start.rc = {5.0, 20.0, 20.0, 1.0};
    start.window_area_m2 = 2.0;
    start.heat_gain_kw = 0.05;
    start.mass_start_c = data.samples.front().indoor_c;
    if (argc > 3 && std::string(argv[3]) == "published") {
      // Leprince et al.'s TiTmTh fit of building 2 (heater node Th dropped: Rih·Ch = 0.14 h < one step).
      start.rc = {6.05712871742853, 19.936478758988, 25.7456477961247, 1.12573047840044};
      start.window_area_m2 = 3.44279338607049;
      start.heat_gain_kw = 0.0396179988439183;
      start.mass_start_c = 20.5925808772659;
      std::cerr << "published, in this model: one-step residual std "
                << standard_deviation(rc_residuals(start, data, FitObjective::one_step)) << ", simulation "
                << standard_deviation(rc_residuals(start, data, FitObjective::simulation)) << "\n";
    }
    const auto objective = mode == "one-step" ? FitObjective::one_step : FitObjective::simulation;
    const RcFitResult fit = fit_rc(data, start, objective);
    const auto& p = fit.params;
    const nlohmann::json out = {
        {"objective", mode},
        {"Ci", p.rc.ci_kwh_per_k},
        {"Cm", p.rc.cm_kwh_per_k},
        {"Ria", p.rc.ria_k_per_kw},
        {"Rim", p.rc.rim_k_per_kw},
        {"Aw", p.window_area_m2},
        {"Ah", p.heat_gain_kw},
        {"Tm0", p.mass_start_c},
        {"HTC_kw_per_k", p.rc.htc_kw_per_k()},
        {"Ria_Ci_h", p.rc.ria_k_per_kw * p.rc.ci_kwh_per_k},
        {"Rim_Cm_h", p.rc.rim_k_per_kw * p.rc.cm_kwh_per_k},
        {"Rim_Ci_h", p.rc.rim_k_per_kw * p.rc.ci_kwh_per_k},
        {"Aw_per_Ci", p.window_area_m2 / p.rc.ci_kwh_per_k},
        {"Ah_per_Ci", p.heat_gain_kw / p.rc.ci_kwh_per_k},
        {"residual_std_one_step", standard_deviation(rc_residuals(p, data, FitObjective::one_step))},
        {"residual_std_simulation", standard_deviation(rc_residuals(p, data, FitObjective::simulation))},
        {"evaluations", fit.evaluations}};
    std::cout << out.dump(2) << "\n";
  } catch (const std::exception& error) {
    std::cerr << "sim_fit_rc: " << error.what() << "\n";
    return 1;
  }
}
