#include "time_format.hpp"

#include <gtest/gtest.h>

namespace hepek::recorder {
namespace {

constexpr int64_t k2024 = 1'704'067'200'000;  // 2024-01-01T00:00:00Z

TEST(TimeFormat, ParsesUtcWithZ) {
  EXPECT_EQ(parse_iso8601_ms("2024-01-01T00:00:00Z"), k2024);
}

TEST(TimeFormat, ParsesMillisecondsAndOffsets) {
  EXPECT_EQ(parse_iso8601_ms("2024-01-01T00:00:00.250Z"), k2024 + 250);
  EXPECT_EQ(parse_iso8601_ms("2024-01-01T01:00:00+01:00"), k2024);
  EXPECT_EQ(parse_iso8601_ms("2024-01-01T01:00:00+0100"), k2024);
  EXPECT_EQ(parse_iso8601_ms("2023-12-31T19:00:00-05:00"), k2024);
  EXPECT_EQ(parse_iso8601_ms("2024-01-01 00:00:00Z"), k2024);
  EXPECT_EQ(parse_iso8601_ms("2024-01-01T00:00Z"), k2024);
}

TEST(TimeFormat, ParsesBareDateAsUtcMidnight) {
  EXPECT_EQ(parse_iso8601_ms("2024-01-01"), k2024);
}

TEST(TimeFormat, RejectsGarbageAndZonelessTimes) {
  for (const char* bad :
       {"", "yesterday", "2024-13-01T00:00:00Z", "2024-01-01T00:00:00", "2024-01-01T25:00:00Z",
        "2024-01-01T00:00:00Zjunk", "1704067200000", "2024-01-01T00:00:00+01:00 "})
    EXPECT_FALSE(parse_iso8601_ms(bad).has_value()) << bad;
}

TEST(TimeFormat, FormatsUtcWithMillisecondsOnlyWhenNeeded) {
  EXPECT_EQ(format_iso8601_ms(k2024), "2024-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601_ms(k2024 + 15 * 60'000 + 7), "2024-01-01T00:15:00.007Z");
  EXPECT_EQ(format_iso8601_ms(-1000), "1969-12-31T23:59:59Z");
}

TEST(TimeFormat, RoundTrips) {
  for (int64_t ms : {k2024, k2024 + 1, k2024 + 86'399'999, int64_t{0}})
    EXPECT_EQ(parse_iso8601_ms(format_iso8601_ms(ms)), ms);
}

}  // namespace
}  // namespace hepek::recorder
