#include "csv_prices.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "iso_time.hpp"
#include "price_series.hpp"

namespace hepek::tariff {
namespace {

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

struct Seen {
  int line = 0;
  MicroEurPerMwh price = 0;
};

// Second pass over a file the planner's reader has accepted: which instants repeat, and with which prices.
std::vector<DuplicateNote> scan_duplicates(const std::string& text, int& identical) {
  std::istringstream input(text);
  std::string line;
  int line_number = 0;
  bool header_seen = false;
  std::map<std::int64_t, Seen> seen;
  std::vector<DuplicateNote> conflicts;
  while (std::getline(input, line)) {
    ++line_number;
    const std::string row = trim(line);
    if (row.empty()) continue;
    if (!header_seen) {
      header_seen = true;
      continue;
    }
    const auto comma = row.find(',');
    const auto time = planner::parse_iso8601(trim(std::string_view(row).substr(0, comma)));
    if (!time || comma == std::string::npos) continue;  // the reader has already refused such files
    const std::string value = trim(std::string_view(row).substr(comma + 1));
    auto price = parse_decimal_micro(value);
    if (!price) price = micro_from_eur_per_mwh(std::stod(value));
    const auto [it, inserted] = seen.emplace(time->unix_s, Seen{line_number, *price});
    if (inserted) continue;
    if (it->second.price == *price)
      ++identical;
    else
      conflicts.push_back({time->unix_s, it->second.line, line_number, it->second.price, *price});
  }
  return conflicts;
}

}  // namespace

std::string describe(const DuplicateNote& note, const std::string& name, int offset_minutes) {
  return fmt::format("{}:{} and line {} give {} different prices, {} and {} EUR/MWh", name, note.first_line,
                     note.line, planner::format_iso8601(note.start_s, offset_minutes),
                     canonical_decimal(note.first_price), canonical_decimal(note.price));
}

CsvPrices read_csv_prices(const std::string& text, const std::string& name, ConflictPolicy policy) {
  std::istringstream input(text);
  const planner::PriceSeries series = planner::read_price_csv(input, name);
  CsvPrices result;
  result.name = name;
  result.conflicts = scan_duplicates(text, result.identical_duplicates);
  if (policy == ConflictPolicy::reject && !result.conflicts.empty())
    throw planner::CsvError(
        describe(result.conflicts.front(), name, series.offset_at(result.conflicts.front().start_s)) +
        " (conflicting duplicates are refused: set duplicates = \"conservative\" to keep the "
        "highest for import and the lowest for export)");

  // Range of prices per instant over all its rows, for the conservative merge.
  std::map<std::int64_t, std::pair<MicroEurPerMwh, MicroEurPerMwh>> conflict_range;
  for (const auto& note : result.conflicts) {
    auto [it, inserted] =
        conflict_range.emplace(note.start_s, std::make_pair(note.first_price, note.first_price));
    it->second.first = std::min({it->second.first, note.price});
    it->second.second = std::max({it->second.second, note.price});
  }

  const auto& raw = series.series;
  std::vector<SpotPoint> points;
  points.reserve(raw.size());
  for (std::size_t k = 0; k < raw.size(); ++k) {
    if (raw.filled[k]) continue;
    SpotPoint point;
    point.start_s = raw.start_s + static_cast<std::int64_t>(k) * raw.step_s;
    point.offset_minutes = raw.offset_minutes[k];
    point.high = point.low = micro_from_eur_per_mwh(raw.columns[0][k]);
    if (const auto it = conflict_range.find(point.start_s); it != conflict_range.end()) {
      point.low = it->second.first;
      point.high = it->second.second;
      point.conflicting = true;
    }
    points.push_back(point);
  }
  result.grid = grid_from_points(points, raw.step_s);
  return result;
}

CsvPrices read_csv_prices_file(const std::string& path, ConflictPolicy policy) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw planner::CsvError(fmt::format("{}: cannot open the price file", path));
  std::ostringstream text;
  text << file.rdbuf();
  return read_csv_prices(text.str(), path, policy);
}

}  // namespace hepek::tariff
