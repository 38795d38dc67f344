// Zones and local calendars: DST offsets from the zone's rules, unknown zones refused by name.
#include "hepek/timeseries/zone_clock.hpp"

#include <gtest/gtest.h>

#include "hepek/timeseries/iso8601.hpp"
#include "hepek/timeseries/local_calendar.hpp"

namespace hepek::timeseries {
namespace {

std::int64_t ms(const char* text) {
  return parse_iso8601_or_throw(text).unix_ms();
}

// From sim-home's time_util tests (LocalClock).
TEST(ZoneClock, FollowsDst) {
  ZoneClock amsterdam("Europe/Amsterdam");
  EXPECT_EQ(amsterdam.offset_ms(ms("2023-01-15T12:00:00Z")), 3'600'000);
  EXPECT_EQ(amsterdam.offset_ms(ms("2023-07-15T12:00:00Z")), 7'200'000);
  EXPECT_EQ(amsterdam.offset_ms(ms("2023-01-15T12:00:00Z")), 3'600'000);
  EXPECT_THROW(ZoneClock("Mars/Olympus_Mons"), std::invalid_argument);
}

TEST(ZoneClock, ChangesExactlyAtTheTransitions) {
  ZoneClock amsterdam("Europe/Amsterdam");
  const std::int64_t spring = ms("2023-03-26T01:00:00Z");  // 02:00 CET becomes 03:00 CEST
  EXPECT_EQ(amsterdam.offset_minutes_at_s(spring / 1000 - 1), 60);
  EXPECT_EQ(amsterdam.offset_minutes_at_s(spring / 1000), 120);
  const std::int64_t autumn = ms("2023-10-29T01:00:00Z");  // 03:00 CEST becomes 02:00 CET
  EXPECT_EQ(amsterdam.offset_minutes_at_s(autumn / 1000 - 1), 120);
  EXPECT_EQ(amsterdam.offset_minutes_at_s(autumn / 1000), 60);
  EXPECT_EQ(ZoneClock("").offset_ms(spring), 0);
  EXPECT_EQ(ZoneClock("UTC").zone(), nullptr);
}

TEST(ZoneClock, UnknownZoneErrorNamesIt) {
  try {
    find_zone("Mars/Olympus");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("\"Mars/Olympus\""), std::string::npos) << e.what();
  }
}

TEST(LocalCalendar, DaysSecondsWeekdaysMonths) {
  const std::int64_t t = parse_iso8601_or_throw("2023-10-29T00:30:00+02:00").unix_s;  // Sunday
  EXPECT_EQ(local_weekday(t, 120), 6);
  EXPECT_EQ(local_weekday(t, 0), 5);  // still Saturday in UTC
  EXPECT_EQ(local_second_of_day(t, 120), 1800);
  EXPECT_EQ(local_month(t, 120), 10);
  EXPECT_EQ(local_day(-1, 0), -1);  // before 1970: floor, not truncation
  EXPECT_EQ(local_second_of_day(-1, 0), 86399);
}

}  // namespace
}  // namespace hepek::timeseries
