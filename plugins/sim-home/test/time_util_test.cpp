#include <gtest/gtest.h>

#include "time_util.hpp"

using namespace hepek::sim;

TEST(TimeUtil, ParsesOffsetsAndUtc) {
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_iso8601_ms("1970-01-01"), 0);
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T02:00:00+02:00"), 0);
  EXPECT_EQ(parse_iso8601_ms("1969-12-31T19:00:00-05:00"), 0);
  EXPECT_EQ(parse_iso8601_ms("2023-06-30T00:00:00+02:00"), 1688076000000);
  EXPECT_EQ(parse_iso8601_ms("2023-06-29T22:00:00.250Z"), 1688076000250);
}

TEST(TimeUtil, RejectsBadTextNamingIt) {
  try {
    parse_iso8601_ms("2023-02-30T00:00:00Z");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("2023-02-30"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("no such date"), std::string::npos);
  }
  EXPECT_THROW(parse_iso8601_ms("2023-06-30 junk"), std::invalid_argument);
  EXPECT_THROW(parse_iso8601_ms(""), std::invalid_argument);
}

TEST(TimeUtil, LocalClockFollowsDst) {
  LocalClock amsterdam("Europe/Amsterdam");
  EXPECT_EQ(amsterdam.offset_ms(parse_iso8601_ms("2023-01-15T12:00:00Z")), 3'600'000);
  EXPECT_EQ(amsterdam.offset_ms(parse_iso8601_ms("2023-07-15T12:00:00Z")), 7'200'000);
  EXPECT_EQ(amsterdam.offset_ms(parse_iso8601_ms("2023-01-15T12:00:00Z")), 3'600'000);
  EXPECT_THROW(LocalClock("Mars/Olympus_Mons"), std::invalid_argument);
  EXPECT_EQ(day_of_year_utc(parse_iso8601_ms("2024-12-31T23:00:00Z")), 366);
}
