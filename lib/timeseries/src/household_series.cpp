#include "hepek/timeseries/household_series.hpp"

namespace hepek::timeseries {
namespace {

CsvLayout household_layout() {
  CsvLayout layout;
  layout.value_columns = {"load_w", "pv_w"};
  layout.check_value = [](std::size_t, double value) -> const char* {
    return value < 0 ? "must not be negative" : nullptr;
  };
  return layout;
}

RegularSpec household_spec() {
  RegularSpec spec;
  spec.duplicates = DuplicatePolicy::keep_first;
  spec.fill_gap = [](const RegularSeries& series, std::size_t column, std::size_t slot) {
    const auto& values = series.columns[column];
    const auto week = static_cast<std::size_t>(7 * 86400 / series.step_s);
    const auto day = static_cast<std::size_t>(86400 / series.step_s);
    if (slot >= week) return values[slot - week];
    if (slot >= day) return values[slot - day];
    return values[slot - 1];
  };
  return spec;
}

}  // namespace

HouseholdSeries read_household_csv(std::istream& input, const std::string& name) {
  return HouseholdSeries{
      to_regular_series(read_csv_table(input, name, household_layout()), household_spec())};
}

HouseholdSeries read_household_csv_file(const std::string& path) {
  return HouseholdSeries{to_regular_series(read_csv_table_file(path, household_layout()), household_spec())};
}

}  // namespace hepek::timeseries
