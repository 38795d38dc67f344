#include "hepek/timeseries/price_series.hpp"

#include <algorithm>

#include "hepek/timeseries/local_calendar.hpp"

namespace hepek::timeseries {
namespace {

RegularSpec price_spec() {
  RegularSpec spec;
  spec.duplicates = DuplicatePolicy::keep_maximum;
  // The higher of the slot before (known or already filled) and the next known slot. Slots come in ascending
  // order, so the next known slot is searched once per gap, not once per slot: a gap of n slots costs O(n), not
  // O(n^2) (a three-row file with a years-long gap at minute resolution took minutes before).
  spec.fill_gap = [next_known = std::size_t{0}](const RegularSeries& series, std::size_t column,
                                                std::size_t slot) mutable {
    const auto& values = series.columns[column];
    if (next_known <= slot) {
      next_known = slot + 1;
      while (next_known < values.size() && series.filled[next_known]) ++next_known;
    }
    const double before = values[slot - 1];
    return next_known < values.size() ? std::max(before, values[next_known]) : before;
  };
  return spec;
}

// Midnight `days` local days after the local day containing t.
std::int64_t local_midnight(const PriceSeries& prices, std::int64_t t, int days) {
  const int offset = prices.offset_at(t);
  const std::int64_t day = local_day(t, offset) + days;
  const std::int64_t guess = day * 86400 - static_cast<std::int64_t>(offset) * 60;
  const int offset_there = prices.offset_at(guess - 1);  // the offset of the evening before that midnight
  return day * 86400 - static_cast<std::int64_t>(offset_there) * 60;
}

}  // namespace

std::int64_t day_ahead_published_until(const PriceSeries& prices, std::int64_t t) {
  const int second = local_second_of_day(t, prices.offset_at(t));
  return local_midnight(prices, t, second >= 13 * 3600 ? 2 : 1);
}

CsvLayout price_csv_layout() {
  CsvLayout layout;
  layout.value_columns = {"price_eur_per_mwh"};
  return layout;
}

PriceSeries to_price_series(CsvTable table) {
  return PriceSeries{to_regular_series(std::move(table), price_spec())};
}

PriceSeries read_price_csv(std::istream& input, const std::string& name) {
  return to_price_series(read_csv_table(input, name, price_csv_layout()));
}

PriceSeries read_price_csv_file(const std::string& path) {
  return to_price_series(read_csv_table_file(path, price_csv_layout()));
}

}  // namespace hepek::timeseries
