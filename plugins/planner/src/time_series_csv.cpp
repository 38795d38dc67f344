#include "time_series_csv.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>

#include <fmt/format.h>

#include "iso_time.hpp"

namespace hepek::planner {

int64_t RegularSeries::slot(int64_t t) const {
  if (step_s <= 0 || t < start_s || t >= end_s()) return -1;
  return (t - start_s) / step_s;
}

int RegularSeries::offset_at(int64_t t) const {
  if (offset_minutes.empty()) return 0;
  if (t < start_s) return offset_minutes.front();
  if (t >= end_s()) return offset_minutes.back();
  return offset_minutes[static_cast<size_t>((t - start_s) / step_s)];
}

namespace {

std::string trim(std::string text) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
  text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
  return text;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream stream(line);
  while (std::getline(stream, field, ',')) fields.push_back(trim(field));
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

struct Row {
  Instant time;
  std::vector<double> values;
  int line = 0;
};

double parse_value(const std::string& text, const std::string& where, const std::string& column) {
  if (text.empty()) throw CsvError(fmt::format("{}: {} is empty", where, column));
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    throw CsvError(fmt::format("{}: {} '{}' is not a number", where, column, text));
  }
  if (used != text.size()) throw CsvError(fmt::format("{}: {} '{}' is not a number", where, column, text));
  if (!std::isfinite(value)) throw CsvError(fmt::format("{}: {} '{}' is not finite", where, column, text));
  return value;
}

}  // namespace

RegularSeries read_time_series_csv(std::istream& input, const std::string& name, const CsvSpec& spec) {
  std::string line;
  int line_number = 0;
  // Header (skipping a UTF-8 byte order mark and blank lines).
  bool have_header = false;
  while (std::getline(input, line)) {
    ++line_number;
    if (line_number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) continue;
    have_header = true;
    break;
  }
  if (!have_header) throw CsvError(fmt::format("{}: empty file (expected a header line)", name));
  std::vector<std::string> expected{"time"};
  expected.insert(expected.end(), spec.value_columns.begin(), spec.value_columns.end());
  const auto header = split(line);
  if (header != expected) {
    std::string want = fmt::format("{}", fmt::join(expected, ","));
    throw CsvError(fmt::format("{}:{}: header is '{}', expected '{}'", name, line_number, trim(line), want));
  }

  std::vector<Row> rows;
  while (std::getline(input, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) continue;
    const std::string where = fmt::format("{}:{}", name, line_number);
    const auto fields = split(line);
    if (fields.size() != expected.size())
      throw CsvError(fmt::format("{}: expected {} fields, found {}", where, expected.size(), fields.size()));
    const auto time = parse_iso8601(fields[0]);
    if (!time)
      throw CsvError(
          fmt::format("{}: time '{}' is not ISO 8601 with a UTC offset (e.g. 2023-01-01T00:00:00+01:00)",
                      where, fields[0]));
    Row row{*time, {}, line_number};
    for (size_t c = 0; c < spec.value_columns.size(); ++c) {
      row.values.push_back(parse_value(fields[c + 1], where, spec.value_columns[c]));
      if (spec.check_value)
        if (const char* problem = spec.check_value(c, row.values.back()))
          throw CsvError(fmt::format("{}: {} {} {}", where, spec.value_columns[c], fields[c + 1], problem));
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) throw CsvError(fmt::format("{}: no data rows", name));

  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.time.unix_s < b.time.unix_s; });

  RegularSeries series;
  // Resolve duplicates.
  std::vector<Row> unique;
  for (auto& row : rows) {
    if (!unique.empty() && unique.back().time.unix_s == row.time.unix_s) {
      ++series.duplicates;
      if (spec.duplicates == DuplicatePolicy::keep_maximum)
        for (size_t c = 0; c < row.values.size(); ++c)
          unique.back().values[c] = std::max(unique.back().values[c], row.values[c]);
      continue;
    }
    unique.push_back(std::move(row));
  }

  // Resolution: the smallest spacing; all rows must lie on its grid.
  int64_t step = 0;
  for (size_t i = 1; i < unique.size(); ++i) {
    const int64_t spacing = unique[i].time.unix_s - unique[i - 1].time.unix_s;
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
  const size_t slots = static_cast<size_t>((unique.back().time.unix_s - series.start_s) / step) + 1;
  if (slots > 50'000'000) throw CsvError(fmt::format("{}: time span too long for its resolution", name));
  series.columns.assign(spec.value_columns.size(), std::vector<double>(slots, 0.0));
  series.filled.assign(slots, 1);
  series.offset_minutes.assign(slots, unique.front().time.offset_minutes);
  for (const auto& row : unique) {
    const size_t k = static_cast<size_t>((row.time.unix_s - series.start_s) / step);
    for (size_t c = 0; c < row.values.size(); ++c) series.columns[c][k] = row.values[c];
    series.filled[k] = 0;
    series.offset_minutes[k] = row.time.offset_minutes;
  }
  for (size_t k = 1; k < slots; ++k)
    if (series.filled[k]) series.offset_minutes[k] = series.offset_minutes[k - 1];
  for (size_t k = 0; k < slots; ++k) {
    if (!series.filled[k]) continue;
    ++series.gaps_filled;
    for (size_t c = 0; c < series.columns.size(); ++c)
      series.columns[c][k] = spec.fill_gap ? spec.fill_gap(series, c, k) : series.columns[c][k - 1];
  }
  return series;
}

RegularSeries read_time_series_csv_file(const std::string& path, const CsvSpec& spec) {
  std::ifstream file(path);
  if (!file) throw CsvError(fmt::format("{}: cannot open", path));
  return read_time_series_csv(file, path, spec);
}

}  // namespace hepek::planner
