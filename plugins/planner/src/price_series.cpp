#include "price_series.hpp"

#include <algorithm>
#include <fstream>

#include "iso_time.hpp"

namespace hepek::planner {
namespace {

CsvSpec price_spec() {
  CsvSpec spec;
  spec.value_columns = {"price_eur_per_mwh"};
  spec.duplicates = DuplicatePolicy::keep_maximum;
  spec.fill_gap = [](const RegularSeries& series, size_t column, size_t slot) {
    const auto& values = series.columns[column];
    double fill = values[slot - 1];  // the slot before is known or already filled
    for (size_t k = slot + 1; k < values.size(); ++k)
      if (!series.filled[k]) {
        fill = std::max(fill, values[k]);
        break;
      }
    return fill;
  };
  return spec;
}

}  // namespace

double PriceSeries::eur_per_mwh_at(int64_t t) const {
  const auto& values = series.columns[0];
  if (t < series.start_s) return values.front();
  const int64_t k = series.slot(t);
  return k < 0 ? values.back() : values[static_cast<size_t>(k)];
}

namespace {
// Midnight `days` local days after the local day containing t.
int64_t local_midnight(const PriceSeries& prices, int64_t t, int days) {
  const int offset = prices.offset_at(t);
  const int64_t day = local_day(t, offset) + days;
  const int64_t guess = day * 86400 - static_cast<int64_t>(offset) * 60;
  const int offset_there = prices.offset_at(guess - 1);  // the offset of the evening before that midnight
  return day * 86400 - static_cast<int64_t>(offset_there) * 60;
}
}  // namespace

int64_t day_ahead_published_until(const PriceSeries& prices, int64_t t) {
  const int second = local_second_of_day(t, prices.offset_at(t));
  return local_midnight(prices, t, second >= 13 * 3600 ? 2 : 1);
}

PriceSeries read_price_csv(std::istream& input, const std::string& name) {
  return PriceSeries{read_time_series_csv(input, name, price_spec())};
}

PriceSeries read_price_csv_file(const std::string& path) {
  return PriceSeries{read_time_series_csv_file(path, price_spec())};
}

}  // namespace hepek::planner
