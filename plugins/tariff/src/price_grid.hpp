// Spot prices on a regular grid of slots, with gaps flagged and filled conservatively.
//
// Contract: slot k covers [start_s + k*step_s, start_s + (k+1)*step_s). Each slot has two spot values: `high`
// feeds the import price and `low` the export price. They are equal for an ordinary slot; they differ where
// conflicting duplicates were kept, and in a filled gap: a gap gets high = the higher and low = the lower of
// the nearest known slots on either side, so a gap never makes buying look cheaper or selling look dearer
// than its neighbours. grid_from_points throws std::invalid_argument when a point is off the grid or
// repeated. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "decimal_price.hpp"

namespace hepek::tariff {

struct SpotPoint {
  std::int64_t start_s = 0;
  int offset_minutes = 0;  // the UTC offset written for this slot
  MicroEurPerMwh high = 0;
  MicroEurPerMwh low = 0;
  bool conflicting = false;  // conflicting duplicates were merged into this slot
};

struct PriceGrid {
  std::int64_t start_s = 0;
  std::int64_t step_s = 3600;
  std::vector<MicroEurPerMwh> high, low;
  std::vector<std::uint8_t> filled;       // 1: a gap, filled conservatively
  std::vector<std::uint8_t> conflicting;  // 1: conflicting duplicates resolved conservatively
  std::vector<int> offset_minutes;

  std::size_t size() const { return high.size(); }
  bool empty() const { return high.empty(); }
  std::int64_t end_s() const { return start_s + static_cast<std::int64_t>(size()) * step_s; }
  std::int64_t slot_start(std::size_t k) const { return start_s + static_cast<std::int64_t>(k) * step_s; }
  // Slot containing t, or -1 outside.
  std::int64_t slot(std::int64_t t) const;
  // The UTC offset in force at t (nearest slot's when outside).
  int offset_at(std::int64_t t) const;
  int gaps() const;
};

// Points must be sorted by start and distinct; slots between them become filled gaps.
PriceGrid grid_from_points(const std::vector<SpotPoint>& points, std::int64_t step_s);

}  // namespace hepek::tariff
