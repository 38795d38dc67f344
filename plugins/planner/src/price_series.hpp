// Prices in the canonical CSV form `time,price_eur_per_mwh` (shared/data/README.md), reusable by the tariff
// plugin.
//
// Contract: hourly, 15-minute or any regular resolution; DST days (23/25 hours) are just UTC instants;
// negative prices are kept. Duplicated instants keep the highest price (conservative for a buyer). Gaps are
// flagged and filled conservatively with the higher of the prices on either side. Bad rows throw CsvError
// naming file:line.
#pragma once

#include <istream>
#include <string>

#include "time_series_csv.hpp"

namespace hepek::planner {

struct PriceSeries {
  RegularSeries series;  // one column: EUR/MWh

  double eur_per_mwh_at(int64_t t) const;  // price of the interval containing t (clamped to the ends)
  bool covers(int64_t t) const { return series.slot(t) >= 0; }
  int64_t start_s() const { return series.start_s; }
  int64_t end_s() const { return series.end_s(); }
  int64_t step_s() const { return series.step_s; }
  int offset_at(int64_t t) const { return series.offset_at(t); }
};

// Until when a day-ahead market has published prices, as seen at time t: the end of today, or of tomorrow
// from 13:00 on (days and 13:00 in the series' own UTC offsets).
int64_t day_ahead_published_until(const PriceSeries& prices, int64_t t);

PriceSeries read_price_csv(std::istream& input, const std::string& name);
PriceSeries read_price_csv_file(const std::string& path);

}  // namespace hepek::planner
