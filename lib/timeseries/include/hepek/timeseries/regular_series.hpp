// A time series on a regular grid, built from CSV rows (csv_table.hpp): the common ground of the canonical
// price and household forms.
//
// Contract: rows may come in any order. Rows with the same instant are duplicates: counted and resolved by
// the spec's policy. The resolution is the smallest spacing between distinct instants (hourly, 15 min, any),
// and every instant must lie on that grid; DST days are just UTC instants, so 23- and 25-hour days need
// nothing special. Missing slots are gaps: counted, flagged and filled by the spec's policy. Throws CsvError
// naming file:line (no rows, rows less than a minute apart, a row off the grid, more than kMaxSlots slots from
// the first row to the last). Pure, thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "hepek/timeseries/csv_table.hpp"

namespace hepek::timeseries {

// Values on a regular grid: slot k covers [start_s + k*step_s, start_s + (k+1)*step_s).
struct RegularSeries {
  std::int64_t start_s = 0;
  std::int64_t step_s = 0;
  std::vector<std::vector<double>> columns;  // columns[c][k]
  std::vector<std::uint8_t> filled;          // 1 where slot k was a gap and got filled
  std::vector<int> offset_minutes;           // the UTC offset written for slot k (carried into gaps)
  int gaps_filled = 0;
  int duplicates = 0;

  std::size_t size() const { return filled.size(); }
  std::int64_t end_s() const { return start_s + static_cast<std::int64_t>(size()) * step_s; }
  // Slot index containing t, or -1 outside the series.
  std::int64_t slot(std::int64_t t) const;
  int offset_at(std::int64_t t) const;  // nearest known offset for any t
  // Column c at t, clamped to the first and last slot outside the series.
  double value_at(std::size_t column, std::int64_t t) const;
};

// At most this many slots from the first row to the last (9.5 years of minutes, 142 years of quarter hours): a
// few rows far apart in a file must not make the reader allocate gigabytes of gap.
inline constexpr std::size_t kMaxSlots = 5'000'000;

enum class DuplicatePolicy { keep_maximum, keep_first };

// Fills gap slot k of column c (only slots with filled[k]==1 are gaps; earlier slots are already final).
using GapFiller = std::function<double(const RegularSeries& series, std::size_t column, std::size_t slot)>;

struct RegularSpec {
  DuplicatePolicy duplicates = DuplicatePolicy::keep_first;
  GapFiller fill_gap;  // default: the previous slot's value
};

RegularSeries to_regular_series(CsvTable table, const RegularSpec& spec);

}  // namespace hepek::timeseries
