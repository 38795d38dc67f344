// Household data in the canonical CSV form `time,load_w,pv_w` (average power over the interval starting at
// `time`, testdata/README.md), as the planner's backtest reads it.
//
// Contract: any regular resolution. Gaps are flagged and filled from the same time a week earlier (a day
// earlier, or the previous value, when the data does not reach back that far); RegularSeries::gaps_filled
// counts filled slots. Duplicated instants keep the first row. Negative load or PV is a bad row. Bad rows
// throw CsvError naming file:line. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <istream>
#include <string>

#include "hepek/timeseries/regular_series.hpp"

namespace hepek::timeseries {

struct HouseholdSeries {
  RegularSeries series;  // columns: 0 = load W, 1 = PV W

  double load_w_at(std::int64_t t) const { return series.value_at(0, t); }
  double pv_w_at(std::int64_t t) const { return series.value_at(1, t); }
  std::int64_t start_s() const { return series.start_s; }
  std::int64_t end_s() const { return series.end_s(); }
  std::int64_t step_s() const { return series.step_s; }
};

HouseholdSeries read_household_csv(std::istream& input, const std::string& name);
HouseholdSeries read_household_csv_file(const std::string& path);

}  // namespace hepek::timeseries
