#include "csv_export.hpp"

#include <map>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include <hepek/timeseries/iso8601.hpp>

namespace hepek::recorder {
namespace {

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

void write_csv(std::ostream& out, const SeriesSet& result) {
  out << "time";
  for (const auto& series : result.series) out << ',' << csv_cell(series.field);
  out << '\n';
  // Several raw samples of one field may share a timestamp: each becomes its own row, in stored order.
  std::map<int64_t, std::vector<std::vector<std::optional<double>>>> rows;  // ts -> rows -> cells
  for (std::size_t column = 0; column < result.series.size(); ++column) {
    std::map<int64_t, std::size_t> seen;
    for (const auto& point : result.series[column].points) {
      auto& at_time = rows[point.ts_ms];
      const std::size_t index = seen[point.ts_ms]++;
      if (at_time.size() <= index) at_time.emplace_back(result.series.size());
      at_time[index][column] = point.value;
    }
  }
  for (const auto& [ts, lines] : rows) {
    const std::string time = timeseries::format_iso8601_ms(ts);
    for (const auto& cells : lines) {
      out << time;
      for (const auto& cell : cells) {
        out << ',';
        if (cell) out << fmt::format("{}", *cell);
      }
      out << '\n';
    }
  }
}

}  // namespace hepek::recorder
