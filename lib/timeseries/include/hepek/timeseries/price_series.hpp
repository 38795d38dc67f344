// Prices in the canonical CSV form `time,price_eur_per_mwh` (testdata/README.md): what the planner, its
// backtest and the tariff read.
//
// Contract: hourly, 15-minute or any regular resolution; DST days (23/25 hours) are just UTC instants;
// negative prices are kept. Duplicated instants keep the highest price (conservative for a buyer). Gaps are
// flagged and filled conservatively with the higher of the prices on either side. Bad rows throw CsvError
// naming file:line. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <istream>
#include <string>

#include "hepek/timeseries/regular_series.hpp"

namespace hepek::timeseries {

struct PriceSeries {
  RegularSeries series;  // one column: EUR/MWh

  double eur_per_mwh_at(std::int64_t t) const { return series.value_at(0, t); }  // clamped to the ends
  bool covers(std::int64_t t) const { return series.slot(t) >= 0; }
  std::int64_t start_s() const { return series.start_s; }
  std::int64_t end_s() const { return series.end_s(); }
  std::int64_t step_s() const { return series.step_s; }
  int offset_at(std::int64_t t) const { return series.offset_at(t); }
};

// Until when a day-ahead market has published prices, as seen at time t: the end of today, or of tomorrow
// from 13:00 on (days and 13:00 in the series' own UTC offsets).
std::int64_t day_ahead_published_until(const PriceSeries& prices, std::int64_t t);

// The layout of the price form, for callers that look at the rows themselves (the tariff's duplicates).
CsvLayout price_csv_layout();
PriceSeries to_price_series(CsvTable table);

PriceSeries read_price_csv(std::istream& input, const std::string& name);
PriceSeries read_price_csv_file(const std::string& path);

}  // namespace hepek::timeseries
