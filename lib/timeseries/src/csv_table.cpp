#include "hepek/timeseries/csv_table.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace hepek::timeseries {
namespace {

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream stream(line);
  while (std::getline(stream, field, ',')) fields.push_back(trim(field));
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

// The error for field `index` (0-based) of a row.
[[noreturn]] void fail_field(const std::string& where, int line, std::size_t index, const std::string& column,
                             const std::string& problem) {
  throw CsvError(fmt::format("{}: {} (line {}, column {} \"{}\")", where, problem, line, index + 1, column));
}

double parse_value(const std::string& text, const std::string& where, int line, std::size_t index,
                   const std::string& column) {
  if (text.empty()) fail_field(where, line, index, column, fmt::format("{} is empty", column));
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (*begin == '+') ++begin;  // from_chars does not take a plus sign; people write one
  double value = 0;
  const auto [stop, status] = std::from_chars(begin, end, value);
  if (status != std::errc() || stop != end)
    fail_field(where, line, index, column, fmt::format("{} '{}' is not a number", column, text));
  if (!std::isfinite(value))
    fail_field(where, line, index, column, fmt::format("{} '{}' is not finite", column, text));
  return value;
}

}  // namespace

CsvTable read_csv_table(std::istream& input, const std::string& name, const CsvLayout& layout) {
  std::string line;
  int line_number = 0;
  bool have_header = false;
  while (std::getline(input, line)) {  // the header: the first line that is not blank
    ++line_number;
    if (line_number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (trim(line).empty()) continue;
    have_header = true;
    break;
  }
  if (!have_header) throw CsvError(fmt::format("{}: empty file (expected a header line)", name));
  const std::vector<std::string> header = split(trim(line));
  const std::string header_at = fmt::format("{}:{}", name, line_number);

  std::vector<std::size_t> indices;  // field index of each value column
  if (layout.header == CsvLayout::Header::exact) {
    std::vector<std::string> expected{"time"};
    expected.insert(expected.end(), layout.value_columns.begin(), layout.value_columns.end());
    if (header != expected)
      throw CsvError(
          fmt::format("{}: header is '{}', expected '{}'", header_at, trim(line), fmt::join(expected, ",")));
    for (std::size_t c = 0; c < layout.value_columns.size(); ++c) indices.push_back(c + 1);
  } else {
    if (header.empty() || header[0] != "time")
      throw CsvError(
          fmt::format("{}: the first column must be `time`, the header is '{}'", header_at, trim(line)));
    for (const auto& column : layout.value_columns) {
      const auto it = std::find(header.begin() + 1, header.end(), column);
      if (it == header.end())
        throw CsvError(
            fmt::format("{}: no column named `{}` in the header '{}'", header_at, column, trim(line)));
      indices.push_back(static_cast<std::size_t>(it - header.begin()));
    }
  }

  CsvTable table;
  table.name = name;
  while (std::getline(input, line)) {
    ++line_number;
    const std::string row_text = trim(line);
    if (row_text.empty()) continue;
    const std::string where = fmt::format("{}:{}", name, line_number);
    const auto fields = split(row_text);
    if (fields.size() != header.size())
      throw CsvError(fmt::format("{}: expected {} fields, found {}", where, header.size(), fields.size()));
    CsvRow row;
    row.line = line_number;
    std::string why;
    const auto time = parse_iso8601(fields[0], {}, &why);
    if (!time)
      fail_field(
          where, line_number, 0, "time",
          fmt::format("time '{}' is not ISO 8601 with a UTC offset (e.g. 2023-01-01T00:00:00+01:00): {}",
                      fields[0], why));
    row.time = *time;
    for (std::size_t c = 0; c < indices.size(); ++c) {
      const std::string& column = layout.value_columns[c];
      const std::string& text = fields[indices[c]];
      const double value = parse_value(text, where, line_number, indices[c], column);
      if (layout.check_value)
        if (const char* problem = layout.check_value(c, value))
          fail_field(where, line_number, indices[c], column, fmt::format("{} {} {}", column, text, problem));
      row.values.push_back(value);
      row.cells.push_back(text);
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

CsvTable read_csv_table_file(const std::string& path, const CsvLayout& layout) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw CsvError(fmt::format("{}: cannot open the file", path));
  return read_csv_table(file, path, layout);
}

}  // namespace hepek::timeseries
