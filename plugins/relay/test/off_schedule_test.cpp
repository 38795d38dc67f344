#include <gtest/gtest.h>

#include "off_schedule.hpp"

using namespace hepek::relay;

TEST(OffSchedule, ParsesIntervalsWithOffsets) {
  const OffSchedule schedule = parse_off_schedule(
      {"2024-03-01T12:00:00Z/2024-03-01T13:00:00Z", "2024-06-01T10:00:00+02:00/2024-06-01T11:30:00+02:00"});
  EXPECT_EQ(parse_time_ms("2024-03-01T12:00:00Z"), 1709294400000);
  EXPECT_EQ(parse_time_ms("2024-03-01T13:00:00+01:00"), 1709294400000);
  EXPECT_EQ(parse_time_ms("2024-03-01"), 1709251200000);
  EXPECT_FALSE(schedule.is_off(1709294400000 - 1));
  EXPECT_TRUE(schedule.is_off(1709294400000));
  EXPECT_TRUE(schedule.is_off(1709294400000 + 3'599'999));
  EXPECT_FALSE(schedule.is_off(1709294400000 + 3'600'000));
  EXPECT_TRUE(schedule.is_off(parse_time_ms("2024-06-01T08:00:00Z")));
  EXPECT_FALSE(schedule.is_off(parse_time_ms("2024-06-01T09:30:00Z")));
}

TEST(OffSchedule, BadEntriesNameThemselves) {
  auto message = [](const std::string& entry) {
    try {
      parse_off_schedule({"2024-01-01T00:00:00Z/2024-01-01T01:00:00Z", entry});
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("2024-01-01T00:00:00Z").find("off_periods[1]"), std::string::npos);
  EXPECT_NE(message("2024-01-01T02:00:00Z/2024-01-01T01:00:00Z").find("after"), std::string::npos);
  EXPECT_NE(message("yesterday/today").find("ISO 8601"), std::string::npos);
}
