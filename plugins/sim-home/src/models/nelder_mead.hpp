// A small Nelder–Mead simplex minimiser (standard coefficients 1, 2, 0.5, 0.5), for fitting a handful of model
// parameters. Boost 1.74 (Debian's) has no multivariate minimiser and GLPK is linear only, hence this.
//
// Contract: minimises f from `start` with initial steps `step` (one per coordinate) until the spread of the
// simplex values is below `tolerance` or `max_evaluations` is reached. Deterministic; header-only; f may return
// +inf for infeasible points.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <numeric>
#include <vector>

namespace hepek::sim {

struct MinimumFound {
  std::vector<double> x;
  double value = 0;
  int evaluations = 0;
};

inline MinimumFound nelder_mead(const std::function<double(const std::vector<double>&)>& f,
                                const std::vector<double>& start, const std::vector<double>& step,
                                double tolerance = 1e-10, int max_evaluations = 20000) {
  const std::size_t n = start.size();
  std::vector<std::vector<double>> points(n + 1, start);
  for (std::size_t i = 0; i < n; ++i) points[i + 1][i] += step[i];
  std::vector<double> values(n + 1);
  int evaluations = 0;
  auto eval = [&](const std::vector<double>& x) {
    ++evaluations;
    return f(x);
  };
  for (std::size_t i = 0; i <= n; ++i) values[i] = eval(points[i]);
  std::vector<std::size_t> order(n + 1);
  auto along = [&](const std::vector<double>& centre, const std::vector<double>& worst, double t) {
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = centre[i] + t * (worst[i] - centre[i]);
    return x;
  };
  while (evaluations < max_evaluations) {
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    const std::size_t best = order.front(), worst = order.back(), second = order[n - 1];
    if (values[worst] - values[best] <= tolerance * (1.0 + std::abs(values[best]))) break;
    std::vector<double> centre(n, 0.0);
    for (std::size_t k = 0; k < n; ++k)
      for (std::size_t i = 0; i < n; ++i) centre[i] += points[order[k]][i] / static_cast<double>(n);
    const auto reflected = along(centre, points[worst], -1.0);
    const double reflected_value = eval(reflected);
    if (reflected_value < values[best]) {
      const auto expanded = along(centre, points[worst], -2.0);
      const double expanded_value = eval(expanded);
      if (expanded_value < reflected_value) {
        points[worst] = expanded, values[worst] = expanded_value;
      } else {
        points[worst] = reflected, values[worst] = reflected_value;
      }
    } else if (reflected_value < values[second]) {
      points[worst] = reflected, values[worst] = reflected_value;
    } else {
      const auto contracted = along(centre, points[worst], 0.5);
      const double contracted_value = eval(contracted);
      if (contracted_value < values[worst]) {
        points[worst] = contracted, values[worst] = contracted_value;
      } else {
        for (std::size_t k = 1; k <= n; ++k) {
          points[order[k]] = along(points[best], points[order[k]], 0.5);
          values[order[k]] = eval(points[order[k]]);
        }
      }
    }
  }
  const std::size_t best =
      static_cast<std::size_t>(std::min_element(values.begin(), values.end()) - values.begin());
  return {points[best], values[best], evaluations};
}

}  // namespace hepek::sim
