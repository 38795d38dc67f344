// Reading a "time,<value columns...>" CSV into a regular time series (the shared reader behind the price and
// household forms of shared/data/README.md).
//
// Contract: the header must name exactly the expected columns. Every data row needs an ISO 8601 time with a
// UTC offset and finite numbers; otherwise a CsvError is thrown whose message names file:line and what is
// wrong. Rows may come in any order. The resolution is the smallest spacing between distinct times; every
// time must sit on that grid. Rows with the same instant are duplicates: counted and resolved by the caller's
// policy. Missing slots are gaps: counted, flagged and filled by the caller's policy. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <stdexcept>
#include <string>
#include <vector>

namespace hepek::planner {

class CsvError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Values on a regular grid: slot k covers [start_s + k*step_s, start_s + (k+1)*step_s).
struct RegularSeries {
  int64_t start_s = 0;
  int64_t step_s = 0;
  std::vector<std::vector<double>> columns;  // columns[c][k]
  std::vector<uint8_t> filled;               // 1 where slot k was a gap and got filled
  std::vector<int> offset_minutes;           // the UTC offset written for slot k (carried into gaps)
  int gaps_filled = 0;
  int duplicates = 0;

  size_t size() const { return filled.size(); }
  int64_t end_s() const { return start_s + static_cast<int64_t>(size()) * step_s; }
  // Slot index containing t, or -1 outside the series.
  int64_t slot(int64_t t) const;
  int offset_at(int64_t t) const;  // nearest known offset for any t
};

enum class DuplicatePolicy { keep_maximum, keep_first };

// Fills gap slot k of column c (only slots with filled[k]==1 are gaps; earlier slots are already final).
using GapFiller = std::function<double(const RegularSeries& series, size_t column, size_t slot)>;

struct CsvSpec {
  std::vector<std::string> value_columns;
  DuplicatePolicy duplicates = DuplicatePolicy::keep_first;
  GapFiller fill_gap;
  // Optional: returns why a value is unacceptable (e.g. "must not be negative"), or nullptr when it is fine.
  std::function<const char*(size_t column, double value)> check_value;
};

RegularSeries read_time_series_csv(std::istream& input, const std::string& name, const CsvSpec& spec);
RegularSeries read_time_series_csv_file(const std::string& path, const CsvSpec& spec);

}  // namespace hepek::planner
