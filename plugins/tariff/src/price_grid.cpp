#include "price_grid.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace hepek::tariff {

std::int64_t PriceGrid::slot(std::int64_t t) const {
  if (empty() || t < start_s || t >= end_s()) return -1;
  return (t - start_s) / step_s;
}

int PriceGrid::offset_at(std::int64_t t) const {
  if (empty()) return 0;
  if (t < start_s) return offset_minutes.front();
  if (t >= end_s()) return offset_minutes.back();
  return offset_minutes[static_cast<std::size_t>((t - start_s) / step_s)];
}

int PriceGrid::gaps() const {
  return static_cast<int>(std::count(filled.begin(), filled.end(), 1));
}

PriceGrid grid_from_points(const std::vector<SpotPoint>& points, std::int64_t step_s) {
  if (step_s < 60)
    throw std::invalid_argument(fmt::format("price resolution {} s is below one minute", step_s));
  PriceGrid grid;
  grid.step_s = step_s;
  if (points.empty()) return grid;
  grid.start_s = points.front().start_s;
  const std::int64_t span = points.back().start_s - grid.start_s;
  if (span < 0) throw std::invalid_argument("price points are not sorted by time");
  const auto slots = static_cast<std::size_t>(span / step_s) + 1;
  if (slots > 10'000'000)
    throw std::invalid_argument("price points span too long a time for their resolution");
  grid.high.assign(slots, 0);
  grid.low.assign(slots, 0);
  grid.filled.assign(slots, 1);
  grid.conflicting.assign(slots, 0);
  grid.offset_minutes.assign(slots, points.front().offset_minutes);
  for (const auto& point : points) {
    const std::int64_t distance = point.start_s - grid.start_s;
    if (distance % step_s != 0)
      throw std::invalid_argument(
          fmt::format("price at Unix time {} is off the {}-second grid", point.start_s, step_s));
    const auto k = static_cast<std::size_t>(distance / step_s);
    if (!grid.filled[k])
      throw std::invalid_argument(fmt::format("two prices for Unix time {}", point.start_s));
    grid.high[k] = point.high;
    grid.low[k] = point.low;
    grid.filled[k] = 0;
    grid.conflicting[k] = point.conflicting ? 1 : 0;
    grid.offset_minutes[k] = point.offset_minutes;
  }
  // Gaps: the offset carries forward; prices from the nearest known slots on both sides (the first and last
  // slots are always known). The next known slot is searched once per gap, so a gap of n slots costs O(n).
  std::size_t previous_known = 0;
  std::size_t next_known = 0;
  for (std::size_t k = 1; k < slots; ++k) {
    if (!grid.filled[k]) {
      previous_known = k;
      continue;
    }
    grid.offset_minutes[k] = grid.offset_minutes[k - 1];
    if (next_known <= k) {
      next_known = k + 1;
      while (grid.filled[next_known]) ++next_known;
    }
    grid.high[k] = std::max(grid.high[previous_known], grid.high[next_known]);
    grid.low[k] = std::min(grid.low[previous_known], grid.low[next_known]);
  }
  return grid;
}

}  // namespace hepek::tariff
