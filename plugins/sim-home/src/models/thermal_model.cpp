#include "thermal_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace hepek::sim {
namespace {

struct Mat2 {
  double a, b, c, d;  // [[a, b], [c, d]]
};

void require_positive(double value, const char* name) {
  if (!(value > 0) || !std::isfinite(value))
    throw std::invalid_argument(std::string("house: ") + name + " must be a positive number");
}

}  // namespace

void validate(const RcParams& p) {
  require_positive(p.ci_kwh_per_k, "ci_kwh_per_k");
  require_positive(p.cm_kwh_per_k, "cm_kwh_per_k");
  require_positive(p.ria_k_per_kw, "ria_k_per_kw");
  require_positive(p.rim_k_per_kw, "rim_k_per_kw");
}

double steady_indoor_c(const RcParams& p, double outdoor_c, double heat_kw) {
  return outdoor_c + heat_kw * p.ria_k_per_kw;
}

ThermalStep thermal_step(const RcParams& p, const ThermalState& start, double outdoor_c, double heat_kw,
                         double hours) {
  if (!(hours > 0)) return {start, 0, 0, start.indoor_c};
  // x' = A(x − x*), x* the steady state. A's eigenvalues are real, negative and distinct (a symmetrisable
  // matrix with positive off-diagonal coupling), so e^{At} follows from Sylvester's formula.
  const Mat2 A{-(1.0 / p.ria_k_per_kw + 1.0 / p.rim_k_per_kw) / p.ci_kwh_per_k,
               1.0 / (p.rim_k_per_kw * p.ci_kwh_per_k), 1.0 / (p.rim_k_per_kw * p.cm_kwh_per_k),
               -1.0 / (p.rim_k_per_kw * p.cm_kwh_per_k)};
  const double trace = A.a + A.d, det = A.a * A.d - A.b * A.c;
  const double root = std::sqrt(std::max(0.0, trace * trace / 4.0 - det));
  const double l1 = trace / 2.0 + root, l2 = trace / 2.0 - root;  // l2 < l1 < 0
  const double e1 = std::exp(l1 * hours), e2 = std::exp(l2 * hours);
  // e^{At} = α I + β A;  ∫0^t e^{As} ds = γ I + δ A (same formula with (e^{λt} − 1)/λ).
  const double alpha = (l1 * e2 - l2 * e1) / (l1 - l2), beta = (e1 - e2) / (l1 - l2);
  const double i1 = std::expm1(l1 * hours) / l1, i2 = std::expm1(l2 * hours) / l2;
  const double gamma = (l1 * i2 - l2 * i1) / (l1 - l2), delta = (i1 - i2) / (l1 - l2);

  const double steady = steady_indoor_c(p, outdoor_c, heat_kw);
  const double di = start.indoor_c - steady, dm = start.mass_c - steady;
  ThermalStep result;
  result.end.indoor_c = steady + alpha * di + beta * (A.a * di + A.b * dm);
  result.end.mass_c = steady + alpha * dm + beta * (A.c * di + A.d * dm);
  const double integral_di = gamma * di + delta * (A.a * di + A.b * dm);  // ∫(Ti − x*) dt
  result.mean_indoor_c = steady + integral_di / hours;
  result.heat_in_kwh = heat_kw * hours;
  result.heat_to_outdoor_kwh = (result.mean_indoor_c - outdoor_c) * hours / p.ria_k_per_kw;
  return result;
}

}  // namespace hepek::sim
