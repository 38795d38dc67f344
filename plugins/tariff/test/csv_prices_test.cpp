// The CSV source's edge cases: DST days (23 and 25 hours) hourly and quarter-hourly, negative prices, gaps,
// duplicates (identical dropped, conflicting resolved conservatively or refused), malformed files.
#include <gtest/gtest.h>

#include <set>

#include <hepek/timeseries/csv_table.hpp>
#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>
#include "csv_prices.hpp"
#include "test_support.hpp"

using namespace hepek::tariff;

namespace {
const std::string kData = "plugins/tariff/test/data/";
std::int64_t at(const char* iso) {
  return hepek::timeseries::parse_iso8601(iso)->unix_s;
}
MicroEurPerMwh eur(const char* text) {
  return *parse_decimal_micro(text);
}
}  // namespace

TEST(CsvPrices, SpringForwardDayHas23HourlySlots) {
  const auto prices = read_csv_prices_file(kData + "dst_spring_hourly.csv");
  const auto& grid = prices.grid;
  EXPECT_EQ(grid.step_s, 3600);
  EXPECT_EQ(grid.size(), 23u);
  EXPECT_EQ(grid.gaps(), 0);
  EXPECT_EQ(grid.start_s, at("2023-03-26T00:00:00+01:00"));
  EXPECT_EQ(grid.end_s(), at("2023-03-27T00:00:00+02:00"));
  // 01:00+01:00 is followed directly by 03:00+02:00: one hour later, no gap.
  EXPECT_EQ(grid.slot(at("2023-03-26T03:00:00+02:00")), 2);
  EXPECT_EQ(grid.offset_minutes[1], 60);
  EXPECT_EQ(grid.offset_minutes[2], 120);
}

TEST(CsvPrices, FallBackDayHas25HourlySlotsWithTwoTwoOClocks) {
  const auto grid = read_csv_prices_file(kData + "dst_autumn_hourly.csv").grid;
  EXPECT_EQ(grid.size(), 25u);
  EXPECT_EQ(grid.gaps(), 0);
  const auto first = grid.slot(at("2023-10-29T02:00:00+02:00"));
  const auto second = grid.slot(at("2023-10-29T02:00:00+01:00"));
  EXPECT_EQ(second, first + 1);
  EXPECT_NE(grid.high[first], grid.high[second]);  // two different hours, two prices
  EXPECT_EQ(grid.offset_minutes[first], 120);
  EXPECT_EQ(grid.offset_minutes[second], 60);
}

TEST(CsvPrices, QuarterHourDstDays) {
  const auto spring = read_csv_prices_file(kData + "dst_spring_15min.csv").grid;
  EXPECT_EQ(spring.step_s, 900);
  EXPECT_EQ(spring.size(), 92u);
  EXPECT_EQ(spring.gaps(), 0);
  const auto autumn = read_csv_prices_file(kData + "dst_autumn_15min.csv").grid;
  EXPECT_EQ(autumn.step_s, 900);
  EXPECT_EQ(autumn.size(), 100u);
  EXPECT_EQ(autumn.gaps(), 0);
  EXPECT_EQ(autumn.end_s(), at("2023-10-30T00:00:00+01:00"));
}

TEST(CsvPrices, NegativePricesAreKept) {
  const auto grid = read_csv_prices_file(kData + "dst_autumn_hourly.csv").grid;
  // Slot 12 (11:00+01:00, the 25-hour day) is priced (12-12)²×0.75 − 20.5 in the fixture; midday goes
  // negative.
  int negative = 0;
  for (const auto price : grid.high) negative += price < 0;
  EXPECT_GT(negative, 3);
  EXPECT_EQ(grid.high[static_cast<std::size_t>(grid.slot(at("2023-10-29T11:00:00+01:00")))], eur("-20.5"));
}

TEST(CsvPrices, GapsAreFlaggedAndFilledConservatively) {
  // 00:00 80, 01:00 70, [02:00 03:00 missing], 04:00 −10, 05:00 90.5
  const auto grid = read_csv_prices_file(kData + "gap_hourly.csv").grid;
  ASSERT_EQ(grid.size(), 6u);
  EXPECT_EQ(grid.gaps(), 2);
  for (std::size_t k : {2u, 3u}) {
    EXPECT_EQ(grid.filled[k], 1);
    EXPECT_EQ(grid.high[k], eur("70"));  // import side: the higher neighbour
    EXPECT_EQ(grid.low[k], eur("-10"));  // export side: the lower neighbour
    EXPECT_EQ(grid.offset_minutes[k], 120);
  }
  for (std::size_t k : {0u, 1u, 4u, 5u}) {
    EXPECT_EQ(grid.filled[k], 0);
    EXPECT_EQ(grid.high[k], grid.low[k]);
  }
  const auto quarter = read_csv_prices_file(kData + "gap_15min.csv").grid;
  ASSERT_EQ(quarter.step_s, 900);
  ASSERT_EQ(quarter.size(), 5u);
  EXPECT_EQ(quarter.gaps(), 1);
  EXPECT_EQ(quarter.high[2], eur("100"));
  EXPECT_EQ(quarter.low[2], eur("60"));
}

// Found by fuzz_tariff_csv_prices (a timeout): grid_from_points searched the next known slot anew for every slot
// of a gap, O(n^2) in its length; this file's one-year gap of quarter hours (35,000 slots) took minutes under the
// fuzzer. It fills in one pass now, conservatively as before.
TEST(CsvPrices, ALongGapIsFilledInOnePass) {
  const auto grid = read_csv_prices(
                        "time,price_eur_per_mwh\n"
                        "2023-01-01T00:00:00Z,10.5\n"
                        "2023-01-01T00:15:00Z,-3\n"
                        "2023-01-01T00:45:00Z,7\n"
                        "2024-01-01T00:45:00Z,9\n",
                        "gap.csv")
                        .grid;
  ASSERT_EQ(grid.size(), 35044u);
  EXPECT_EQ(grid.gaps(), 35040);
  EXPECT_EQ(grid.high[2], eur("7"));  // between -3 and 7
  EXPECT_EQ(grid.low[2], eur("-3"));
  EXPECT_EQ(grid.high[4], eur("9"));  // between 7 and 9
  EXPECT_EQ(grid.low[35042], eur("7"));
  EXPECT_EQ(grid.high[35043], eur("9"));
}

TEST(CsvPrices, IdenticalDuplicatesAreDroppedConflictingOnesResolvedConservatively) {
  const auto prices = read_csv_prices_file(kData + "duplicates.csv");
  // 01:00 appears as "70.00" and "70.0"; 00:00+02:00 again as 22:00Z: identical, dropped.
  EXPECT_EQ(prices.identical_duplicates, 2);
  ASSERT_EQ(prices.conflicts.size(), 1u);
  const auto& note = prices.conflicts.front();
  EXPECT_EQ(note.start_s, at("2023-08-01T02:00:00+02:00"));
  EXPECT_EQ(note.first_line, 5);
  EXPECT_EQ(note.line, 7);
  const auto text = describe(note, "duplicates.csv", 120);
  EXPECT_NE(text.find("duplicates.csv:5 and line 7"), std::string::npos) << text;
  EXPECT_NE(text.find("60 and 65"), std::string::npos) << text;

  const auto& grid = prices.grid;
  ASSERT_EQ(grid.size(), 4u);
  EXPECT_EQ(grid.gaps(), 0);
  EXPECT_EQ(grid.high[1], eur("70"));
  EXPECT_EQ(grid.conflicting[1], 0);
  EXPECT_EQ(grid.conflicting[2], 1);
  EXPECT_EQ(grid.high[2], eur("65"));  // import: the higher
  EXPECT_EQ(grid.low[2], eur("60"));   // export: the lower
}

TEST(CsvPrices, ConflictingDuplicatesCanBeRefused) {
  try {
    read_csv_prices_file(kData + "duplicates.csv", ConflictPolicy::reject);
    FAIL() << "conflicting duplicates accepted";
  } catch (const hepek::timeseries::CsvError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("duplicates.csv:5 and line 7"), std::string::npos) << message;
  }
  // Identical duplicates alone are fine under "reject".
  EXPECT_NO_THROW(
      read_csv_prices("time,price_eur_per_mwh\n2023-01-01T00:00:00+01:00,1\n"
                      "2023-01-01T00:00:00+01:00,1.00\n2023-01-01T01:00:00+01:00,2\n",
                      "inline", ConflictPolicy::reject));
}

TEST(CsvPrices, MalformedFilesNameFileAndLine) {
  try {
    read_csv_prices_file(kData + "malformed.csv");
    FAIL();
  } catch (const hepek::timeseries::CsvError& e) {
    EXPECT_NE(std::string(e.what()).find("malformed.csv:3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_csv_prices("time,price\n", "bad-header"), hepek::timeseries::CsvError);
  EXPECT_THROW(read_csv_prices("time,price_eur_per_mwh\n2023-01-01T00:00:00+01:00,abc\n", "x"),
               hepek::timeseries::CsvError);
  EXPECT_THROW(read_csv_prices_file(kData + "does-not-exist.csv"), hepek::timeseries::CsvError);
}

// Found by fuzz_tariff_csv_prices: a price beyond ±1e9 EUR/MWh with more than six decimals was refused by
// micro_from_eur_per_mwh() with a bare std::invalid_argument ("price ... is not a usable number"), which named
// neither the file nor the line. It is a CsvError at file:line now.
TEST(CsvPrices, AnUnusablePriceNamesFileAndLine) {
  try {
    read_csv_prices(
        "time,price_eur_per_mwh\n2023-10-28T23:00:00+00:00,17.6\n"
        "2023-10-29T01:00:00+02:00,-28888888888888888.76\n",
        "huge.csv");
    FAIL() << "accepted a price of -2.9e16 EUR/MWh";
  } catch (const hepek::timeseries::CsvError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(
                  "huge.csv:3: price -2.888888888888889e+16 EUR/MWh is not a usable number", 0),
              0u)
        << e.what();
  }
}

TEST(CsvPrices, RealNetherlandsYearReadsWhole) {
  const std::string path = hepek::testing::testdata("prices/nl_day_ahead_2023_hourly.csv");
  const auto prices = read_csv_prices_file(path);
  EXPECT_EQ(prices.grid.size(), 8760u);
  EXPECT_EQ(prices.grid.gaps(), 0);
  EXPECT_EQ(*std::min_element(prices.grid.high.begin(), prices.grid.high.end()), eur("-500"));
}
