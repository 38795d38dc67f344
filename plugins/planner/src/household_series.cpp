#include "household_series.hpp"

namespace hepek::planner {
namespace {

CsvSpec household_spec() {
  CsvSpec spec;
  spec.value_columns = {"load_w", "pv_w"};
  spec.duplicates = DuplicatePolicy::keep_first;
  spec.fill_gap = [](const RegularSeries& series, size_t column, size_t slot) {
    const auto& values = series.columns[column];
    const size_t week = static_cast<size_t>(7 * 86400 / series.step_s);
    const size_t day = static_cast<size_t>(86400 / series.step_s);
    if (slot >= week) return values[slot - week];
    if (slot >= day) return values[slot - day];
    return values[slot - 1];
  };
  spec.check_value = [](size_t, double value) -> const char* {
    return value < 0 ? "must not be negative" : nullptr;
  };
  return spec;
}

double value_at(const RegularSeries& series, size_t column, int64_t t) {
  const auto& values = series.columns[column];
  if (t < series.start_s) return values.front();
  const int64_t k = series.slot(t);
  return k < 0 ? values.back() : values[static_cast<size_t>(k)];
}

}  // namespace

double HouseholdSeries::load_w_at(int64_t t) const {
  return value_at(series, 0, t);
}
double HouseholdSeries::pv_w_at(int64_t t) const {
  return value_at(series, 1, t);
}

HouseholdSeries read_household_csv(std::istream& input, const std::string& name) {
  return HouseholdSeries{read_time_series_csv(input, name, household_spec())};
}

HouseholdSeries read_household_csv_file(const std::string& path) {
  return HouseholdSeries{read_time_series_csv_file(path, household_spec())};
}

}  // namespace hepek::planner
