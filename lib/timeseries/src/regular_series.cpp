#include "hepek/timeseries/regular_series.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace hepek::timeseries {

std::int64_t RegularSeries::slot(std::int64_t t) const {
  if (step_s <= 0 || t < start_s || t >= end_s()) return -1;
  return (t - start_s) / step_s;
}

int RegularSeries::offset_at(std::int64_t t) const {
  if (offset_minutes.empty()) return 0;
  if (t < start_s) return offset_minutes.front();
  if (t >= end_s()) return offset_minutes.back();
  return offset_minutes[static_cast<std::size_t>((t - start_s) / step_s)];
}

double RegularSeries::value_at(std::size_t column, std::int64_t t) const {
  const auto& values = columns[column];
  if (t < start_s) return values.front();
  const std::int64_t k = slot(t);
  return k < 0 ? values.back() : values[static_cast<std::size_t>(k)];
}

RegularSeries to_regular_series(CsvTable table, const RegularSpec& spec) {
  const std::string& name = table.name;
  auto& rows = table.rows;
  if (rows.empty()) throw CsvError(fmt::format("{}: no data rows", name));
  std::stable_sort(rows.begin(), rows.end(),
                   [](const CsvRow& a, const CsvRow& b) { return a.time.unix_s < b.time.unix_s; });

  RegularSeries series;
  std::vector<CsvRow> unique;
  for (auto& row : rows) {
    if (!unique.empty() && unique.back().time.unix_s == row.time.unix_s) {
      ++series.duplicates;
      if (spec.duplicates == DuplicatePolicy::keep_maximum)
        for (std::size_t c = 0; c < row.values.size(); ++c)
          unique.back().values[c] = std::max(unique.back().values[c], row.values[c]);
      continue;
    }
    unique.push_back(std::move(row));
  }

  // Resolution: the smallest spacing; all rows must lie on its grid.
  std::int64_t step = 0;
  for (std::size_t i = 1; i < unique.size(); ++i) {
    const std::int64_t spacing = unique[i].time.unix_s - unique[i - 1].time.unix_s;
    if (step == 0 || spacing < step) step = spacing;
  }
  if (unique.size() == 1) step = 3600;  // a single row: assume hourly, nothing to contradict it
  if (step < 60)
    throw CsvError(
        fmt::format("{}: rows {} apart (less than a minute) near line {}", name, step, unique[1].line));
  series.start_s = unique.front().time.unix_s;
  series.step_s = step;
  for (const auto& row : unique)
    if ((row.time.unix_s - series.start_s) % step != 0)
      throw CsvError(fmt::format("{}:{}: time {} is off the {}-second grid started at line {}", name,
                                 row.line, format_iso8601(row.time.unix_s, row.time.offset_minutes), step,
                                 unique.front().line));
  const std::size_t slots = static_cast<std::size_t>((unique.back().time.unix_s - series.start_s) / step) + 1;
  if (slots > kMaxSlots)
    throw CsvError(fmt::format("{}: rows from line {} to line {} span {} slots of {} s, more than {}", name,
                               unique.front().line, unique.back().line, slots, step, kMaxSlots));
  const std::size_t column_count = unique.front().values.size();
  series.columns.assign(column_count, std::vector<double>(slots, 0.0));
  series.filled.assign(slots, 1);
  series.offset_minutes.assign(slots, unique.front().time.offset_minutes);
  for (const auto& row : unique) {
    const auto k = static_cast<std::size_t>((row.time.unix_s - series.start_s) / step);
    for (std::size_t c = 0; c < row.values.size(); ++c) series.columns[c][k] = row.values[c];
    series.filled[k] = 0;
    series.offset_minutes[k] = row.time.offset_minutes;
  }
  for (std::size_t k = 1; k < slots; ++k)
    if (series.filled[k]) series.offset_minutes[k] = series.offset_minutes[k - 1];
  for (std::size_t k = 0; k < slots; ++k) {
    if (!series.filled[k]) continue;
    ++series.gaps_filled;
    for (std::size_t c = 0; c < series.columns.size(); ++c)
      series.columns[c][k] = spec.fill_gap ? spec.fill_gap(series, c, k) : series.columns[c][k - 1];
  }
  return series;
}

}  // namespace hepek::timeseries
