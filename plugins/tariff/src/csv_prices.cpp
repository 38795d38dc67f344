#include "csv_prices.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/price_series.hpp>

namespace hepek::tariff {
namespace {

struct Seen {
  int line = 0;
  MicroEurPerMwh price = 0;
};

// Which instants of the file repeat, and with which prices (read exactly from the written decimals).
std::vector<DuplicateNote> find_duplicates(const timeseries::CsvTable& table, int& identical) {
  std::map<std::int64_t, Seen> seen;
  std::vector<DuplicateNote> conflicts;
  for (const auto& row : table.rows) {
    auto price = parse_decimal_micro(row.cells[0]);
    if (!price) {
      try {
        price = micro_from_eur_per_mwh(row.values[0]);
      } catch (const std::invalid_argument& error) {  // beyond ±1e9 EUR/MWh: name the file and line
        throw timeseries::CsvError(fmt::format("{}:{}: {}", table.name, row.line, error.what()));
      }
    }
    const auto [it, inserted] = seen.emplace(row.time.unix_s, Seen{row.line, *price});
    if (inserted) continue;
    if (it->second.price == *price)
      ++identical;
    else
      conflicts.push_back({row.time.unix_s, it->second.line, row.line, it->second.price, *price});
  }
  return conflicts;
}

}  // namespace

std::string describe(const DuplicateNote& note, const std::string& name, int offset_minutes) {
  return fmt::format("{}:{} and line {} give {} different prices, {} and {} EUR/MWh", name, note.first_line,
                     note.line, timeseries::format_iso8601(note.start_s, offset_minutes),
                     canonical_decimal(note.first_price), canonical_decimal(note.price));
}

CsvPrices read_csv_prices(const std::string& text, const std::string& name, ConflictPolicy policy) {
  std::istringstream input(text);
  timeseries::CsvTable table = timeseries::read_csv_table(input, name, timeseries::price_csv_layout());
  CsvPrices result;
  result.name = name;
  result.conflicts = find_duplicates(table, result.identical_duplicates);
  const timeseries::PriceSeries series = timeseries::to_price_series(std::move(table));
  if (policy == ConflictPolicy::reject && !result.conflicts.empty())
    throw timeseries::CsvError(
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
  if (!file) throw timeseries::CsvError(fmt::format("{}: cannot open the price file", path));
  std::ostringstream text;
  text << file.rdbuf();
  return read_csv_prices(text.str(), path, policy);
}

}  // namespace hepek::tariff
