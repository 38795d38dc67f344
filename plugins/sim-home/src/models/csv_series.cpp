#include "csv_series.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "time_util.hpp"

namespace hepek::sim {
namespace {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream stream(line);
  while (std::getline(stream, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && (text[start] == ' ' || text[start] == '\t')) ++start;
  return text.substr(start);
}

}  // namespace

CsvSeries::CsvSeries(CsvSeriesOptions options) : options_(std::move(options)) {
  std::ifstream file(options_.path);
  if (!file) throw std::invalid_argument("cannot open CSV file \"" + options_.path + "\"");
  auto fail = [&](std::size_t line_number, const std::string& what) {
    throw std::invalid_argument("CSV file \"" + options_.path + "\" line " + std::to_string(line_number) +
                                ": " + what);
  };
  std::string line;
  if (!std::getline(file, line)) fail(1, "empty file, expected a header `time," + options_.column + ",...`");
  const std::vector<std::string> header = split_csv_line(trim(line));
  if (header.empty() || trim(header[0]) != "time") fail(1, "the first column must be `time`");
  std::size_t column = 0;
  for (std::size_t i = 1; i < header.size(); ++i)
    if (trim(header[i]) == options_.column) column = i;
  if (column == 0) fail(1, "no column named `" + options_.column + "` in the header");

  std::size_t line_number = 1;
  while (std::getline(file, line)) {
    ++line_number;
    line = trim(line);
    if (line.empty()) continue;
    const std::vector<std::string> fields = split_csv_line(line);
    if (fields.size() <= column)
      fail(line_number, "expected at least " + std::to_string(column + 1) + " fields");
    std::int64_t time = 0;
    try {
      time = parse_iso8601_ms(trim(fields[0]));
    } catch (const std::invalid_argument& error) {
      fail(line_number, error.what());
    }
    if (!times_.empty() && time <= times_.back()) fail(line_number, "time is not after the previous row's");
    const std::string text = trim(fields[column]);
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
      fail(line_number, "`" + options_.column + "` is not a number: \"" + text + "\"");
    times_.push_back(time);
    values_.push_back(value * options_.scale);
  }
  if (times_.size() < 2) fail(line_number, "need at least two data rows");
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
