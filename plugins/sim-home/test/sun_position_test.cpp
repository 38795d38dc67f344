// Reference values: the solstice declinations (±23.44°), the equation of time's extremes (≈ −14.2 min on 11
// Feb, ≈ +16.4 min on 3 Nov) as tabulated by NOAA's solar calculator, and the geometry they imply for
// Amsterdam.
#include <gtest/gtest.h>

#include "sun_position.hpp"
#include "time_util.hpp"

using namespace hepek::sim;

namespace {
constexpr double kAmsterdamLat = 52.37, kAmsterdamLon = 4.90;
}

TEST(SunPosition, DeclinationAtSolstices) {
  EXPECT_NEAR(sun_position(parse_iso8601_ms("2023-06-21T12:00:00Z"), 0, 0).declination_deg, 23.44, 0.1);
  EXPECT_NEAR(sun_position(parse_iso8601_ms("2023-12-22T12:00:00Z"), 0, 0).declination_deg, -23.44, 0.1);
  EXPECT_NEAR(sun_position(parse_iso8601_ms("2023-03-20T22:00:00Z"), 0, 0).declination_deg, 0.0, 0.5);
}

TEST(SunPosition, EquationOfTimeExtremes) {
  EXPECT_NEAR(sun_position(parse_iso8601_ms("2023-02-11T12:00:00Z"), 0, 0).equation_of_time_min, -14.2, 0.4);
  EXPECT_NEAR(sun_position(parse_iso8601_ms("2023-11-03T12:00:00Z"), 0, 0).equation_of_time_min, 16.4, 0.4);
}

TEST(SunPosition, AmsterdamMidsummerNoon) {
  // Solar noon = 12:00 UTC − 4 min/° × 4.90° − EoT (≈ −1.8 min on 21 June) ≈ 11:42 UTC; elevation there is
  // 90° − 52.37° + 23.44° = 61.07°, due south.
  const std::int64_t noon = parse_iso8601_ms("2023-06-21T11:42:00Z");
  const SolarAngles sun = sun_position(noon, kAmsterdamLat, kAmsterdamLon);
  EXPECT_NEAR(sun.hour_angle_deg, 0.0, 0.3);
  EXPECT_NEAR(sun.elevation_deg, 61.07, 0.15);
  EXPECT_NEAR(sun.azimuth_deg, 180.0, 0.6);
  // Morning sun is in the east, afternoon in the west, and it is below the horizon at midnight.
  const SolarAngles morning =
      sun_position(parse_iso8601_ms("2023-06-21T06:00:00Z"), kAmsterdamLat, kAmsterdamLon);
  EXPECT_GT(morning.azimuth_deg, 45);
  EXPECT_LT(morning.azimuth_deg, 110);
  EXPECT_GT(morning.elevation_deg, 0);
  EXPECT_GT(sun_position(parse_iso8601_ms("2023-06-21T17:00:00Z"), kAmsterdamLat, kAmsterdamLon).azimuth_deg,
            250);
  EXPECT_LT(
      sun_position(parse_iso8601_ms("2023-06-21T23:40:00Z"), kAmsterdamLat, kAmsterdamLon).elevation_deg,
      -10);
}

TEST(SunPosition, WinterNoonAndSouthernHemisphere) {
  // 22 Dec, Amsterdam: 90 − 52.37 − 23.44 = 14.19°.
  const SolarAngles winter =
      sun_position(parse_iso8601_ms("2023-12-22T11:37:00Z"), kAmsterdamLat, kAmsterdamLon);
  EXPECT_NEAR(winter.elevation_deg, 14.19, 0.2);
  // Sydney (−33.87, 151.21) at its solar noon on 21 June faces north: elevation 90 − 33.87 − 23.44 = 32.69°.
  const SolarAngles sydney = sun_position(parse_iso8601_ms("2023-06-21T01:57:00Z"), -33.87, 151.21);
  EXPECT_NEAR(sydney.elevation_deg, 32.69, 0.2);
  EXPECT_TRUE(sydney.azimuth_deg < 2 || sydney.azimuth_deg > 358) << sydney.azimuth_deg;
}
