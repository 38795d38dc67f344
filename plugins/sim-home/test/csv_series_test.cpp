#include <gtest/gtest.h>

#include "csv_series.hpp"
#include "test_support.hpp"
#include "time_util.hpp"

using namespace hepek::sim;
using hepek::testing::TempFile;

namespace {
std::string household_csv() {
  return hepek::testing::testdata("household/ausgrid_home12_retimed_2023_jul_nov_30min.csv");
}
}  // namespace

namespace {
std::int64_t at(const char* iso) {
  return parse_iso8601_ms(iso);
}
constexpr std::int64_t kMinute = 60'000;
}  // namespace

TEST(CsvSeries, ReadsTheCanonicalHouseholdFile) {
  CsvSeries load({household_csv(), "load_w", 1.0, false});
  EXPECT_EQ(load.size(), 7248u);
  EXPECT_EQ(load.first_ms(), at("2023-06-30T00:00:00+02:00"));
  // First rows: 392 W then 578 W.
  EXPECT_DOUBLE_EQ(load.power_w_at(at("2023-06-30T00:10:00+02:00")), 392.0);
  EXPECT_DOUBLE_EQ(load.power_w_at(at("2023-06-30T00:30:00+02:00")), 578.0);
}

TEST(CsvSeries, AveragesFinerDataAndHoldsCoarserData) {
  CsvSeries load({household_csv(), "load_w", 1.0, false});
  const std::int64_t start = at("2023-06-30T00:00:00+02:00");
  // One hour = the two half-hour rows: (392 + 578) / 2 W for one hour = 485 Wh.
  EXPECT_EQ(load.energy_mwh(start, 60 * kMinute), 485'000);
  EXPECT_DOUBLE_EQ(load.average_power_w(start, 60 * kMinute), 485.0);
  // A 5-minute step inside a 30-minute row holds the row's value: 392 W × 5 min.
  EXPECT_EQ(load.energy_mwh(start + 10 * kMinute, 5 * kMinute), std::llround(392.0 * 5 / 60 * 1000));
  // A step straddling two rows weights each by its share.
  EXPECT_EQ(load.energy_mwh(start + 20 * kMinute, 20 * kMinute),
            std::llround((392.0 * 10 + 578.0 * 10) / 60 * 1000));
}

TEST(CsvSeries, SumsOfStepsEqualTheWholeAtAnyStepSize) {
  CsvSeries pv({household_csv(), "pv_w", 1.0, false});
  const std::int64_t start = at("2023-07-03T00:00:00+02:00");
  const MilliWattHours whole = pv.energy_mwh(start, 24 * 60 * kMinute);
  for (const std::int64_t step : {5 * kMinute, 15 * kMinute, 60 * kMinute}) {
    MilliWattHours sum = 0;
    for (std::int64_t t = start; t < start + 24 * 60 * kMinute; t += step) sum += pv.energy_mwh(t, step);
    EXPECT_NEAR(sum, whole, 24 * 60 * kMinute / step) << "step " << step;  // ±0.5 mWh rounding per step
  }
  EXPECT_GT(whole, 1'000'000);  // a July day of a 4 kWp array makes more than 1 kWh
}

TEST(CsvSeries, OutOfRangeIsAClearError) {
  CsvSeries load({household_csv(), "load_w", 1.0, false});
  try {
    load.energy_mwh(at("2024-01-01T00:00:00Z"), 15 * kMinute);
    FAIL() << "expected out_of_range";
  } catch (const std::out_of_range& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("ausgrid_home12_retimed"), std::string::npos) << message;
    EXPECT_NE(message.find("2024-01-01T00:00:00Z"), std::string::npos) << message;
    EXPECT_NE(message.find("wrap = true"), std::string::npos) << message;
  }
  EXPECT_THROW(load.energy_mwh(load.first_ms() - 1, 15 * kMinute), std::out_of_range);
  EXPECT_THROW(load.energy_mwh(load.end_ms() - 5 * kMinute, 15 * kMinute), std::out_of_range);
  EXPECT_NO_THROW(load.energy_mwh(load.end_ms() - 15 * kMinute, 15 * kMinute));
}

TEST(CsvSeries, WrapsByWholeWeeksKeepingWeekdayAndTime) {
  CsvSeries load({household_csv(), "load_w", 1.0, true});
  const std::int64_t weeks = (load.end_ms() - load.first_ms()) / kMillisPerWeek;
  ASSERT_GE(weeks, 20);
  const std::int64_t t = at("2023-07-05T18:00:00+02:00");  // a Wednesday evening
  // Outside the data by whole multiples of the wrap period, the same instant of the same weekday is replayed.
  EXPECT_EQ(load.energy_mwh(t + weeks * kMillisPerWeek, 60 * kMinute), load.energy_mwh(t, 60 * kMinute));
  EXPECT_EQ(load.energy_mwh(t - 3 * weeks * kMillisPerWeek, 60 * kMinute), load.energy_mwh(t, 60 * kMinute));
  // A year later works and lands on the same weekday (the period is whole weeks).
  EXPECT_NO_THROW(load.energy_mwh(at("2024-12-31T23:45:00Z"), 15 * kMinute));
}

TEST(CsvSeries, WrapNeedsAWholeWeek) {
  const TempFile file("short.csv",
                      "time,load_w,pv_w\n2023-01-01T00:00:00Z,100,0\n2023-01-01T01:00:00Z,200,0\n");
  EXPECT_THROW(CsvSeries({file.path(), "load_w", 1.0, true}), std::invalid_argument);
  CsvSeries series({file.path(), "load_w", 2.0, false});
  EXPECT_EQ(series.energy_mwh(parse_iso8601_ms("2023-01-01T00:00:00Z"), 2 * 60 * kMinute),
            600'000);  // scaled ×2
}

TEST(CsvSeries, BadFilesNameTheLine) {
  auto message_of = [](const std::string& content, const std::string& column = "load_w") {
    try {
      const TempFile file("bad.csv", content);
      CsvSeries({file.path(), column, 1.0, false});
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message_of("time,load_w\n2023-01-01T00:00:00Z,1\n2023-01-01T00:30:00Z,abc\n").find("line 3"),
            std::string::npos);
  EXPECT_NE(message_of("time,load_w\n2023-01-01T00:30:00Z,1\n2023-01-01T00:00:00Z,2\n").find("not after"),
            std::string::npos);
  EXPECT_NE(
      message_of("time,load_w\n2023-01-01T00:00:00Z,1\n2023-01-01T00:30:00Z,2\n", "pv_w").find("no column"),
      std::string::npos);
  EXPECT_NE(message_of("when,load_w\n").find("first column"), std::string::npos);
  EXPECT_NE(message_of("time,load_w\n2023-13-01T00:00:00Z,1\n").find("line 2"), std::string::npos);
  EXPECT_THROW(CsvSeries({"/nonexistent/file.csv", "load_w", 1.0, false}), std::invalid_argument);
}
