// Run periods: HH:MM parsing, daily periods across midnight and across both DST changes in Europe/Amsterdam,
// one-shot periods from ISO 8601.
#include "run_period.hpp"

#include <gtest/gtest.h>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/zone_clock.hpp>

namespace hepek::flexload {
namespace {

std::int64_t at(const char* text) {
  return timeseries::parse_iso8601_or_throw(text).unix_ms();
}
const date::time_zone* amsterdam() {
  return &timeseries::find_zone("Europe/Amsterdam");
}

TEST(RunPeriod, ParsesClockTimesAndNamesTheKeyOfABadOne) {
  EXPECT_EQ(parse_clock_time("00:00", "earliest"), 0);
  EXPECT_EQ(parse_clock_time("23:59", "earliest"), 1439);
  for (const char* bad : {"24:00", "7:00", "07:60", "07-00", "", "ab:cd", "07:00 "}) {
    try {
      parse_clock_time(bad, "deadline");
      ADD_FAILURE() << bad;
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find("deadline"), std::string::npos) << error.what();
    }
  }
}

TEST(RunPeriod, DailyAcrossMidnight) {
  const DailyTimes times{22 * 60, 6 * 60};
  // At 10:00 local: tonight 22:00 to tomorrow 06:00 (winter, +01:00).
  EXPECT_EQ(daily_period_ending_after(at("2024-01-10T10:00:00+01:00"), times, amsterdam()),
            (RunPeriod{at("2024-01-10T22:00:00+01:00"), at("2024-01-11T06:00:00+01:00")}));
  // At 03:00 local: the period that began yesterday evening is still open.
  EXPECT_EQ(daily_period_ending_after(at("2024-01-11T03:00:00+01:00"), times, amsterdam()),
            (RunPeriod{at("2024-01-10T22:00:00+01:00"), at("2024-01-11T06:00:00+01:00")}));
  // Exactly at the deadline: the next one.
  EXPECT_EQ(daily_period_ending_after(at("2024-01-11T06:00:00+01:00"), times, amsterdam()).earliest_ms,
            at("2024-01-11T22:00:00+01:00"));
}

TEST(RunPeriod, DailyAcrossTheSpringForwardNight) {
  // 2024-03-31: 02:00 CET → 03:00 CEST. 22:00 → 06:00 is 7 hours that night, not 8.
  const RunPeriod night =
      daily_period_ending_after(at("2024-03-30T12:00:00+01:00"), {22 * 60, 6 * 60}, amsterdam());
  EXPECT_EQ(night.earliest_ms, at("2024-03-30T22:00:00+01:00"));
  EXPECT_EQ(night.deadline_ms, at("2024-03-31T06:00:00+02:00"));
  EXPECT_EQ(night.deadline_ms - night.earliest_ms, 7 * 3'600'000LL);
  // 02:30 does not exist that day: it is the instant of the jump (03:00 CEST).
  EXPECT_EQ(daily_period_ending_after(at("2024-03-31T00:00:00+01:00"), {2 * 60 + 30, 5 * 60}, amsterdam())
                .earliest_ms,
            at("2024-03-31T03:00:00+02:00"));
}

TEST(RunPeriod, DailyAcrossTheFallBackNight) {
  // 2024-10-27: 03:00 CEST → 02:00 CET. 22:00 → 06:00 is 9 hours; 02:30 is its first occurrence.
  const RunPeriod night =
      daily_period_ending_after(at("2024-10-26T12:00:00+02:00"), {22 * 60, 6 * 60}, amsterdam());
  EXPECT_EQ(night.deadline_ms - night.earliest_ms, 9 * 3'600'000LL);
  EXPECT_EQ(daily_period_ending_after(at("2024-10-27T00:00:00+02:00"), {2 * 60 + 30, 4 * 60}, amsterdam())
                .earliest_ms,
            at("2024-10-27T02:30:00+02:00"));
}

TEST(RunPeriod, DailyInUtcAndWithinOneDay) {
  EXPECT_EQ(daily_period_ending_after(at("2024-01-10T10:00:00Z"), {9 * 60, 17 * 60}, nullptr),
            (RunPeriod{at("2024-01-10T09:00:00Z"), at("2024-01-10T17:00:00Z")}));
  EXPECT_EQ(daily_period_ending_after(at("2024-01-10T18:00:00Z"), {9 * 60, 17 * 60}, nullptr),
            (RunPeriod{at("2024-01-11T09:00:00Z"), at("2024-01-11T17:00:00Z")}));
}

TEST(RunPeriod, OneShotFromIso8601) {
  EXPECT_EQ(one_shot_period("2024-01-10T22:00:00+01:00", "2024-01-11T06:00:00+01:00"),
            (RunPeriod{at("2024-01-10T22:00:00+01:00"), at("2024-01-11T06:00:00+01:00")}));
  EXPECT_THROW(one_shot_period("2024-01-11T06:00:00Z", "2024-01-11T06:00:00Z"), std::invalid_argument);
  try {
    one_shot_period("2024-01-10T22:00:00", "2024-01-11T06:00:00Z");  // no offset
    ADD_FAILURE();
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("earliest_start"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace hepek::flexload
