// The comfort schedule's syntax: bands by local time, wrapping midnight, and errors naming the entry.
#include <gtest/gtest.h>

#include "comfort_schedule.hpp"

namespace hepek::climate {
namespace {

std::string error_of(const std::vector<std::string>& entries) {
  try {
    parse_comfort_schedule(entries);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(ComfortSchedule, DayAndNightBandsWrapOverMidnight) {
  const auto schedule = parse_comfort_schedule({"07:00-23:00 20-24", "23:00-07:00 18-26.5"});
  EXPECT_EQ(schedule.band_at(7 * 60), (ComfortBand{20, 24}));
  EXPECT_EQ(schedule.band_at(23 * 60 - 1), (ComfortBand{20, 24}));
  EXPECT_EQ(schedule.band_at(23 * 60), (ComfortBand{18, 26.5}));
  EXPECT_EQ(schedule.band_at(0), (ComfortBand{18, 26.5}));
  EXPECT_EQ(schedule.band_at(7 * 60 - 1), (ComfortBand{18, 26.5}));
}

TEST(ComfortSchedule, UncoveredMinutesHaveNoBand) {
  const auto schedule = parse_comfort_schedule({"08:00-17:30 19-23", "18:00-24:00 -5-30"});
  EXPECT_FALSE(schedule.band_at(7 * 60 + 59));
  EXPECT_TRUE(schedule.band_at(8 * 60));
  EXPECT_FALSE(schedule.band_at(17 * 60 + 30));
  EXPECT_EQ(schedule.band_at(23 * 60 + 59), (ComfortBand{-5, 30}));
  EXPECT_FALSE(schedule.band_at(ComfortSchedule::kMinutesPerDay));
  EXPECT_TRUE(parse_comfort_schedule({}).empty());
  EXPECT_TRUE(parse_comfort_schedule({"00:00-24:00 20-22"}).band_at(0));
}

TEST(ComfortSchedule, ErrorsNameTheEntry) {
  EXPECT_EQ(error_of({"07:00-23:00 20-24", "7-23 20-24"}),
            "comfort[1] \"7-23 20-24\" is not \"HH:MM-HH:MM MIN-MAX\" (e.g. \"07:00-23:00 20-24\")");
  EXPECT_EQ(error_of({"25:00-23:00 20-24"}),
            "comfort[0] \"25:00-23:00 20-24\": the start time is not a time of day 00:00..23:59");
  EXPECT_EQ(error_of({"07:00-07:60 20-24"}),
            "comfort[0] \"07:00-07:60 20-24\": the end time is not a time of day 00:00..24:00");
  EXPECT_EQ(
      error_of({"07:00-07:00 20-24"}),
      "comfort[0] \"07:00-07:00 20-24\": the start and end time are the same (use 00:00-24:00 for all day)");
  EXPECT_EQ(error_of({"07:00-08:00 24-20"}), "comfort[0] \"07:00-08:00 24-20\": MIN must be below MAX");
  EXPECT_EQ(error_of({"07:00-23:00 20-24", "22:00-07:00 18-26"}),
            "comfort[1] \"22:00-07:00 18-26\" overlaps comfort[0] \"07:00-23:00 20-24\" at 22:00");
  EXPECT_NE(error_of({std::string(200, '1')}).find("comfort[0]"), std::string::npos);
}

}  // namespace
}  // namespace hepek::climate
