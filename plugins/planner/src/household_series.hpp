// Household data in the canonical CSV form `time,load_w,pv_w` (average power over the interval starting at
// `time`).
//
// Contract: any regular resolution. Gaps are flagged and filled from the same time a week earlier (a day
// earlier, or the previous value, when the data does not reach back that far); RegularSeries::gaps_filled
// counts filled slots. Duplicated instants keep the first row. Negative load or PV is a bad row. Bad rows
// throw CsvError naming file:line.
#pragma once

#include <istream>
#include <string>

#include "time_series_csv.hpp"

namespace hepek::planner {

struct HouseholdSeries {
  RegularSeries series;  // columns: 0 = load W, 1 = PV W

  double load_w_at(int64_t t) const;
  double pv_w_at(int64_t t) const;
  int64_t start_s() const { return series.start_s; }
  int64_t end_s() const { return series.end_s(); }
  int64_t step_s() const { return series.step_s; }
};

HouseholdSeries read_household_csv(std::istream& input, const std::string& name);
HouseholdSeries read_household_csv_file(const std::string& path);

}  // namespace hepek::planner
