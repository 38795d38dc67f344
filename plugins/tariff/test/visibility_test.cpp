// Day-ahead visibility: before the publication time only the rest of today is known; from it on, all of
// tomorrow. The same rule as `hepek backtest` (timeseries::day_ahead_published_until), checked against it
// hour by hour.
#include <gtest/gtest.h>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>
#include <hepek/timeseries/price_series.hpp>
#include "csv_prices.hpp"
#include "day_ahead_visibility.hpp"
#include "test_support.hpp"

using namespace hepek::tariff;

namespace {
std::int64_t at(const char* iso) {
  return hepek::timeseries::parse_iso8601(iso)->unix_s;
}
std::string nl_prices_path() {
  return hepek::testing::testdata("prices/nl_day_ahead_2023_hourly.csv");
}
}  // namespace

TEST(Visibility, PublishTimeParses) {
  EXPECT_EQ(parse_publish_time("13:00"), 13 * 3600);
  EXPECT_EQ(parse_publish_time("12:45:30"), 12 * 3600 + 45 * 60 + 30);
  for (const char* bad : {"", "13", "1300", "24:00", "13:60", "13:00:", "ab:cd", "13-00"})
    EXPECT_FALSE(parse_publish_time(bad)) << bad;
}

TEST(Visibility, RestOfTodayBefore13TomorrowFrom13) {
  const auto grid = read_csv_prices_file(nl_prices_path()).grid;
  EXPECT_EQ(day_ahead_visible_until(grid, at("2023-08-01T12:59:59+02:00")), at("2023-08-02T00:00:00+02:00"));
  EXPECT_EQ(day_ahead_visible_until(grid, at("2023-08-01T13:00:00+02:00")), at("2023-08-03T00:00:00+02:00"));
  EXPECT_EQ(day_ahead_visible_until(grid, at("2023-08-01T00:00:00+02:00")), at("2023-08-02T00:00:00+02:00"));
  EXPECT_EQ(day_ahead_visible_until(grid, at("2023-08-01T23:59:00+02:00")), at("2023-08-03T00:00:00+02:00"));
  // Tomorrow is a 25-hour day: known until its real end, 25 h after its midnight.
  EXPECT_EQ(day_ahead_visible_until(grid, at("2023-10-28T13:00:00+02:00")), at("2023-10-30T00:00:00+01:00"));
  // Tomorrow is a 23-hour day.
  EXPECT_EQ(day_ahead_visible_until(grid, at("2023-03-25T14:00:00+01:00")), at("2023-03-27T00:00:00+02:00"));
  // 13:00 on the 23-hour day itself is in summer time.
  EXPECT_EQ(day_ahead_visible_until(grid, at("2023-03-26T12:30:00+02:00")), at("2023-03-27T00:00:00+02:00"));
  EXPECT_EQ(day_ahead_visible_until(grid, at("2023-03-26T13:00:00+02:00")), at("2023-03-28T00:00:00+02:00"));
}

TEST(Visibility, ConfigurablePublishTime) {
  const auto grid = read_csv_prices_file(nl_prices_path()).grid;
  const int noon = *parse_publish_time("12:00");
  EXPECT_EQ(day_ahead_visible_until(grid, at("2023-08-01T11:59:00+02:00"), noon),
            at("2023-08-02T00:00:00+02:00"));
  EXPECT_EQ(day_ahead_visible_until(grid, at("2023-08-01T12:30:00+02:00"), noon),
            at("2023-08-03T00:00:00+02:00"));
}

TEST(Visibility, SameRuleAsTheBacktestEveryQuarterHourOf2023) {
  const auto path = nl_prices_path();
  const auto grid = read_csv_prices_file(path).grid;
  const auto series = hepek::timeseries::read_price_csv_file(path);
  int compared = 0;
  for (std::int64_t t = grid.start_s; t < grid.end_s(); t += 900, ++compared)
    ASSERT_EQ(day_ahead_visible_until(grid, t), hepek::timeseries::day_ahead_published_until(series, t))
        << hepek::timeseries::format_iso8601(t, grid.offset_at(t));
  EXPECT_EQ(compared, 8760 * 4);
}
