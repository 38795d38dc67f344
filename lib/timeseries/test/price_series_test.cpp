// The canonical price form: DST days, 15-minute gaps, duplicates, bad rows, the real 2023 year, day-ahead
// publication (moved from the planner's csv tests).
#include "hepek/timeseries/price_series.hpp"

#include <cstdlib>
#include <sstream>

#include <gtest/gtest.h>

#include "hepek/timeseries/household_series.hpp"
#include "test_support.hpp"

namespace hepek::timeseries {
namespace {

PriceSeries prices(const std::string& text) {
  std::istringstream in(text);
  return read_price_csv(in, "prices.csv");
}
std::string error_of(const std::string& text) {
  try {
    prices(text);
  } catch (const CsvError& e) {
    return e.what();
  }
  return "no error";
}
using hepek::testing::testdata;  // the test kit's: <source dir>/testdata/<file>

TEST(PriceCsv, SpringForwardDayHas23Hours) {
  std::string text = "time,price_eur_per_mwh\n";
  for (int h = 0; h < 24; ++h) {
    if (h == 2) continue;  // 02:00 does not exist on 2023-03-26 in Amsterdam
    text += "2023-03-26T" + std::string(h < 10 ? "0" : "") + std::to_string(h) + ":00:00" +
            (h < 2 ? "+01:00" : "+02:00") + ",10\n";
  }
  const auto series = prices(text);
  EXPECT_EQ(series.step_s(), 3600);
  EXPECT_EQ(series.series.size(), 23u);
  EXPECT_EQ(series.series.gaps_filled, 0);
}

TEST(PriceCsv, FallBackDayHas25HoursAndNegativePrices) {
  std::string text = "time,price_eur_per_mwh\n";
  for (int h = 0; h < 24; ++h) {
    const std::string hh = (h < 10 ? "0" : "") + std::to_string(h);
    text +=
        "2023-10-29T" + hh + ":00:00" + (h <= 2 ? "+02:00" : "+01:00") + "," + std::to_string(-h) + ".5\n";
    if (h == 2) text += "2023-10-29T02:00:00+01:00,-99.5\n";
  }
  const auto series = prices(text);
  EXPECT_EQ(series.series.size(), 25u);
  EXPECT_EQ(series.series.gaps_filled, 0);
  EXPECT_EQ(series.series.duplicates, 0);
  EXPECT_DOUBLE_EQ(series.eur_per_mwh_at(parse_iso8601("2023-10-29T02:30:00+01:00")->unix_s), -99.5);
  EXPECT_DOUBLE_EQ(series.eur_per_mwh_at(parse_iso8601("2023-10-29T23:00:00+01:00")->unix_s), -23.5);
}

TEST(PriceCsv, QuarterHourGapIsFlaggedAndFilledWithTheHigherNeighbour) {
  const auto series = prices(
      "time,price_eur_per_mwh\n"
      "2023-01-01T00:00:00+01:00,50\n"
      "2023-01-01T00:15:00+01:00,40\n"
      "2023-01-01T01:00:00+01:00,80\n"
      "2023-01-01T01:15:00+01:00,-5\n");
  EXPECT_EQ(series.step_s(), 900);
  ASSERT_EQ(series.series.size(), 6u);
  EXPECT_EQ(series.series.gaps_filled, 2);
  EXPECT_EQ(series.series.filled[2], 1);
  EXPECT_DOUBLE_EQ(series.series.columns[0][2], 80);
  EXPECT_DOUBLE_EQ(series.series.columns[0][3], 80);
  EXPECT_DOUBLE_EQ(series.series.columns[0][5], -5);
}

// Found by fuzz_timeseries_csv (a timeout): the gap filler searched the next known slot anew for every slot of a
// gap, O(n^2) in its length, so a few rows with a years-long gap between them kept the reader busy for minutes.
// Four years of quarter hours (140,000 slots: ~10^10 steps before) now fill in one pass, each with the higher
// neighbour.
TEST(PriceCsv, ALongGapIsFilledInOnePass) {
  const auto series = prices(
      "time,price_eur_per_mwh\n"
      "2023-01-01T00:00:00Z,50\n"
      "2023-01-01T00:15:00Z,40\n"
      "2027-01-01T00:00:00Z,70\n"
      "2027-01-01T00:15:00Z,10\n");
  ASSERT_EQ(series.series.size(), 140258u);
  EXPECT_EQ(series.series.gaps_filled, 140254);
  EXPECT_DOUBLE_EQ(series.series.columns[0][2], 70);
  EXPECT_DOUBLE_EQ(series.series.columns[0][140255], 70);
  EXPECT_DOUBLE_EQ(series.series.columns[0][140257], 10);
}

// Found by fuzz_timeseries_csv: three rows, minutes apart and then centuries on, made a series of tens of millions
// of slots (gigabytes). A file spans at most kMaxSlots slots.
TEST(PriceCsv, AFileSpanningTooManySlotsIsRefused) {
  const std::string error = error_of(
      "time,price_eur_per_mwh\n"
      "2023-10-29T00:00:00+02:00,5.34\n"
      "2023-10-29T01:00:00+02:00,-2.76\n"
      "2823-10-29T02:00:00+02:00,-1.93\n");
  EXPECT_NE(
      error.find("prices.csv: rows from line 2 to line 4 span 7012659 slots of 3600 s, more than 5000000"),
      std::string::npos)
      << error;
}

TEST(PriceCsv, DuplicatesKeepTheHigherPriceAndAreCounted) {
  const auto series = prices(
      "time,price_eur_per_mwh\n"
      "2023-01-01T00:00:00+01:00,50\n"
      "2023-01-01T01:00:00+01:00,40\n"
      "2023-01-01T00:00:00Z,70\n"  // same instant as 01:00+01:00
      "2023-01-01T02:00:00+01:00,30\n");
  EXPECT_EQ(series.series.duplicates, 1);
  EXPECT_EQ(series.series.size(), 3u);
  EXPECT_DOUBLE_EQ(series.series.columns[0][1], 70);
}

TEST(PriceCsv, BadRowsNameFileAndLine) {
  EXPECT_NE(error_of("time,price_eur_per_mwh\n2023-01-01T00:00:00+01:00,abc\n").find("prices.csv:2"),
            std::string::npos);
  EXPECT_NE(error_of("time,price_eur_per_mwh\n2023-01-01T00:00:00+01:00,1\n2023-01-01T01:00:00,2\n")
                .find("prices.csv:3: time"),
            std::string::npos);
  EXPECT_NE(
      error_of("time,price_eur_per_mwh\n2023-01-01T00:00:00+01:00,1,2\n").find("prices.csv:2: expected 2"),
      std::string::npos);
  EXPECT_NE(error_of("time,price\n2023-01-01T00:00:00+01:00,1\n").find("prices.csv:1: header"),
            std::string::npos);
  EXPECT_NE(error_of("time,price_eur_per_mwh\n2023-01-01T00:00:00+01:00,nan\n").find("not finite"),
            std::string::npos);
  EXPECT_NE(error_of("").find("empty file"), std::string::npos);
  EXPECT_NE(error_of("time,price_eur_per_mwh\n2023-01-01T00:00:00+01:00,1\n2023-01-01T01:00:00+01:00,1\n"
                     "2023-01-01T01:07:00+01:00,1\n2023-01-01T02:00:00+01:00,1\n")
                .find("off the"),
            std::string::npos);
}

TEST(PriceCsv, BadFieldsNameTheColumn) {
  EXPECT_NE(error_of("time,price_eur_per_mwh\n2023-01-01T00:00:00+01:00,abc\n")
                .find("(line 2, column 2 \"price_eur_per_mwh\")"),
            std::string::npos);
  EXPECT_NE(error_of("time,price_eur_per_mwh\n2023-01-01T00:00:00+01:00,1\n2023-01-01T01:00,2\n")
                .find("(line 3, column 1 \"time\")"),
            std::string::npos);
}

TEST(SharedData, RealFilesLoad) {
  const auto nl = read_price_csv_file(testdata("prices/nl_day_ahead_2023_hourly.csv"));
  EXPECT_EQ(nl.series.size(), 8760u);
  EXPECT_EQ(nl.series.gaps_filled, 0);
  const auto home =
      read_household_csv_file(testdata("household/ausgrid_home12_retimed_2023_jul_nov_30min.csv"));
  EXPECT_EQ(home.step_s(), 1800);
  EXPECT_EQ(home.series.gaps_filled, 2);  // the autumn 02:00 hour that occurs once
}

TEST(DayAhead, PublishedAtThirteenInTheFilesOffset) {
  std::string text = "time,price_eur_per_mwh\n";
  const std::int64_t start = parse_iso8601("2023-10-27T00:00:00+02:00")->unix_s;
  for (int h = 0; h < 24 * 4 + 1; ++h) {
    const std::int64_t t = start + h * 3600;
    const int offset = t < parse_iso8601("2023-10-29T03:00:00+02:00")->unix_s ? 120 : 60;
    text += format_iso8601(t, offset) + ",1\n";
  }
  const auto series = prices(text);
  const auto at = [](const char* iso) { return parse_iso8601(iso)->unix_s; };
  EXPECT_EQ(day_ahead_published_until(series, at("2023-10-27T12:59:00+02:00")),
            at("2023-10-28T00:00:00+02:00"));
  EXPECT_EQ(day_ahead_published_until(series, at("2023-10-27T13:00:00+02:00")),
            at("2023-10-29T00:00:00+02:00"));
  // On the 25-hour day, tomorrow ends at midnight in winter time.
  EXPECT_EQ(day_ahead_published_until(series, at("2023-10-28T14:00:00+02:00")),
            at("2023-10-30T00:00:00+01:00"));
}

}  // namespace
}  // namespace hepek::timeseries
