#include "csv_series.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <hepek/timeseries/csv_table.hpp>

#include "time_util.hpp"

namespace hepek::sim {

CsvSeries::CsvSeries(CsvSeriesOptions options) : options_(std::move(options)) {
  timeseries::CsvLayout layout;
  layout.value_columns = {options_.column};
  layout.header = timeseries::CsvLayout::Header::time_first;
  const timeseries::CsvTable table = timeseries::read_csv_table_file(options_.path, layout);
  for (const auto& row : table.rows) {
    const std::int64_t time = row.time.unix_ms();
    if (!times_.empty() && time <= times_.back())
      throw std::invalid_argument("CSV file \"" + options_.path + "\" line " + std::to_string(row.line) +
                                  ": time is not after the previous row's");
    times_.push_back(time);
    values_.push_back(row.values[0] * options_.scale);
  }
  if (times_.size() < 2)
    throw std::invalid_argument("CSV file \"" + options_.path + "\": need at least two data rows");
  end_ms_ = times_.back() + (times_.back() - times_[times_.size() - 2]);
  if (options_.wrap) {
    wrap_period_ms_ = (end_ms_ - times_.front()) / kMillisPerWeek * kMillisPerWeek;
    if (wrap_period_ms_ == 0)
      throw std::invalid_argument("CSV file \"" + options_.path +
                                  "\": wrap = true needs at least one whole week of data");
  }
}

void CsvSeries::out_of_range(std::int64_t unix_ms) const {
  throw std::out_of_range("CSV file \"" + options_.path + "\" has no `" + options_.column + "` data for " +
                          format_iso8601_ms(unix_ms) + " (it covers " + format_iso8601_ms(times_.front()) +
                          " to " + format_iso8601_ms(end_ms_) +
                          "); set wrap = true to repeat it by whole weeks");
}

std::int64_t CsvSeries::locate(std::int64_t unix_ms) const {
  if (wrap_period_ms_ > 0) return times_.front() + floor_mod(unix_ms - times_.front(), wrap_period_ms_);
  if (unix_ms < times_.front() || unix_ms >= end_ms_) out_of_range(unix_ms);
  return unix_ms;
}

std::size_t CsvSeries::segment_index(std::int64_t data_ms) const {
  const auto it = std::upper_bound(times_.begin(), times_.end(), data_ms);
  return static_cast<std::size_t>(it - times_.begin()) - 1;
}

double CsvSeries::power_w_at(std::int64_t unix_ms) {
  return values_[segment_index(locate(unix_ms))];
}

MilliWattHours CsvSeries::energy_mwh(std::int64_t start_ms, std::int64_t duration_ms) {
  if (duration_ms <= 0) return 0;
  // A query that ends exactly at the data's end is inside; check its last instant before walking.
  if (wrap_period_ms_ == 0) {
    locate(start_ms);
    locate(start_ms + duration_ms - 1);
  }
  double watt_ms = 0;
  std::int64_t remaining = duration_ms;
  std::int64_t cursor = start_ms;
  while (remaining > 0) {
    const std::int64_t data_ms = locate(cursor);
    const std::size_t index = segment_index(data_ms);
    std::int64_t segment_end = index + 1 < times_.size() ? times_[index + 1] : end_ms_;
    if (wrap_period_ms_ > 0) segment_end = std::min(segment_end, times_.front() + wrap_period_ms_);
    const std::int64_t piece = std::min(remaining, segment_end - data_ms);
    watt_ms += values_[index] * static_cast<double>(piece);
    remaining -= piece;
    cursor += piece;
  }
  return std::llround(watt_ms / 3600.0);
}

}  // namespace hepek::sim
