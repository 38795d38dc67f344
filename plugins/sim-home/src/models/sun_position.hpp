// Sun position by the NOAA "General Solar Position Calculations" (Spencer's Fourier series for declination
// and the equation of time, fractional year from the UTC time), accurate to about a tenth of a degree —
// plenty for PV yield.
//
// Contract: pure functions of UTC time and place; angles in degrees; azimuth clockwise from north (180 =
// south); elevation is geometric (no refraction correction).
#pragma once

#include <cstdint>

namespace hepek::sim {

struct SolarAngles {
  double declination_deg = 0;
  double equation_of_time_min = 0;
  double hour_angle_deg = 0;  // 0 at solar noon, negative in the morning
  double elevation_deg = 0;
  double azimuth_deg = 0;
};

SolarAngles sun_position(std::int64_t unix_ms, double latitude_deg, double longitude_deg);

}  // namespace hepek::sim
