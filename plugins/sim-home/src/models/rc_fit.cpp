#include "rc_fit.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "nelder_mead.hpp"

namespace hepek::sim {

ThermalData read_leprince_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument(path + ": cannot open");
  std::string line;
  std::getline(in, line);
  if (line.rfind(";t;Ps;Ta;yTi;Thm", 0) != 0)
    throw std::invalid_argument(path + ":1: expected the header \";t;Ps;Ta;yTi;Thm\"");
  ThermalData data;
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ';');) cells.push_back(cell);
    if (cells.size() != 6)
      throw std::invalid_argument(path + ":" + std::to_string(number) + ": expected 6 fields, got " +
                                  std::to_string(cells.size()));
    ThermalSample sample;
    try {
      sample.solar = std::stod(cells[2]);
      sample.outdoor_c = std::stod(cells[3]);
      sample.indoor_c = std::stod(cells[4]);
      sample.heat = std::stod(cells[5]);
    } catch (const std::exception&) {
      throw std::invalid_argument(path + ":" + std::to_string(number) + ": a value is not a number");
    }
    data.samples.push_back(sample);
  }
  if (data.samples.size() < 2) throw std::invalid_argument(path + ": fewer than two rows");
  return data;
}

std::vector<double> rc_residuals(const RcFitParams& p, const ThermalData& data, FitObjective objective) {
  std::vector<double> residuals;
  residuals.reserve(data.samples.size());
  ThermalState state{data.samples.front().indoor_c, p.mass_start_c};
  for (std::size_t k = 0; k + 1 < data.samples.size(); ++k) {
    const ThermalSample& now = data.samples[k];
    if (objective == FitObjective::one_step) state.indoor_c = now.indoor_c;
    const double heat = p.window_area_m2 * now.solar + p.heat_gain_kw * now.heat;
    state = thermal_step(p.rc, state, now.outdoor_c, heat, data.step_hours).end;
    residuals.push_back(data.samples[k + 1].indoor_c - state.indoor_c);
  }
  return residuals;
}

double standard_deviation(const std::vector<double>& values) {
  if (values.empty()) return 0;
  double mean = 0;
  for (double v : values) mean += v;
  mean /= static_cast<double>(values.size());
  double sum = 0;
  for (double v : values) sum += (v - mean) * (v - mean);
  return std::sqrt(sum / static_cast<double>(values.size()));
}

namespace {
// Positive parameters are searched in log space; Tm0 linearly.
std::vector<double> to_vector(const RcFitParams& p) {
  return {std::log(p.rc.ci_kwh_per_k),
          std::log(p.rc.cm_kwh_per_k),
          std::log(p.rc.ria_k_per_kw),
          std::log(p.rc.rim_k_per_kw),
          std::log(p.window_area_m2),
          std::log(p.heat_gain_kw),
          p.mass_start_c};
}
RcFitParams from_vector(const std::vector<double>& x) {
  RcFitParams p;
  p.rc = {std::exp(x[0]), std::exp(x[1]), std::exp(x[2]), std::exp(x[3])};
  p.window_area_m2 = std::exp(x[4]);
  p.heat_gain_kw = std::exp(x[5]);
  p.mass_start_c = x[6];
  return p;
}
}  // namespace

RcFitResult fit_rc(const ThermalData& data, const RcFitParams& start, FitObjective objective) {
  auto cost = [&](const std::vector<double>& x) {
    for (double v : x)
      if (!std::isfinite(v) || std::abs(v) > 60) return std::numeric_limits<double>::infinity();
    double sum = 0;
    for (double r : rc_residuals(from_vector(x), data, objective)) sum += r * r;
    return std::isfinite(sum) ? sum : std::numeric_limits<double>::infinity();
  };
  std::vector<double> x = to_vector(start);
  int evaluations = 0;
  // Restarts shake a simplex that collapsed early out of its corner.
  for (int round = 0; round < 4; ++round) {
    const MinimumFound found = nelder_mead(cost, x, {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.0}, 1e-12, 6000);
    x = found.x;
    evaluations += found.evaluations;
  }
  RcFitResult result;
  result.params = from_vector(x);
  result.residual_std = standard_deviation(rc_residuals(result.params, data, objective));
  result.evaluations = evaluations;
  return result;
}

}  // namespace hepek::sim
