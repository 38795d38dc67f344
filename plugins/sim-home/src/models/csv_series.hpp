// A column of a canonical time-series CSV (`time,<column>,...`; a value is the average over the interval that
// starts at its time and ends at the next row's time; the last row lasts as long as the one before it).
//
// Contract: the constructor reads the whole file with lib/timeseries' CSV reader (header, ISO 8601 times,
// numeric values), requires strictly increasing times and throws std::invalid_argument naming the file, line
// and problem. Queries outside the
// data throw std::out_of_range naming the file, the time and the covered range — unless `wrap` is set, in
// which case times are moved by whole weeks (keeping weekday and time of day) into the first whole number of
// weeks of the data. Data finer than the query is averaged; coarser data is held. Values are multiplied by
// `scale`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "power_series.hpp"

namespace hepek::sim {

struct CsvSeriesOptions {
  std::string path;
  std::string column = "load_w";
  double scale = 1.0;
  bool wrap = false;
};

class CsvSeries final : public PowerSeries {
 public:
  explicit CsvSeries(CsvSeriesOptions options);
  MilliWattHours energy_mwh(std::int64_t start_ms, std::int64_t duration_ms) override;
  double power_w_at(std::int64_t unix_ms) override;

  std::int64_t first_ms() const { return times_.front(); }
  std::int64_t end_ms() const { return end_ms_; }
  std::size_t size() const { return values_.size(); }

 private:
  // Maps a time into the data (wrapping if enabled) or throws.
  std::int64_t locate(std::int64_t unix_ms) const;
  std::size_t segment_index(std::int64_t data_ms) const;
  [[noreturn]] void out_of_range(std::int64_t unix_ms) const;

  CsvSeriesOptions options_;
  std::vector<std::int64_t> times_;
  std::vector<double> values_;
  std::int64_t end_ms_ = 0;
  std::int64_t wrap_period_ms_ = 0;  // whole weeks covered, when wrapping
};

}  // namespace hepek::sim
