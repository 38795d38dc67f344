#include "sun_position.hpp"

#include <algorithm>
#include <cmath>

#include "time_util.hpp"

namespace hepek::sim {
namespace {
constexpr double kDeg = M_PI / 180.0;

bool is_leap_year_of(std::int64_t unix_ms) {
  const int doy_dec31 = day_of_year_utc(unix_ms + (366 - day_of_year_utc(unix_ms)) * kMillisPerDay);
  return doy_dec31 == 366;
}
}  // namespace

SolarAngles sun_position(std::int64_t unix_ms, double latitude_deg, double longitude_deg) {
  const int day_of_year = day_of_year_utc(unix_ms);
  const double minutes_utc = static_cast<double>(floor_mod(unix_ms, kMillisPerDay)) / 60'000.0;
  const double days_in_year = is_leap_year_of(unix_ms) ? 366.0 : 365.0;
  // NOAA: γ = 2π/365 · (day_of_year − 1 + (hour − 12)/24).
  const double gamma = 2.0 * M_PI / days_in_year * (day_of_year - 1 + (minutes_utc / 60.0 - 12.0) / 24.0);

  SolarAngles angles;
  angles.equation_of_time_min = 229.18 * (0.000075 + 0.001868 * std::cos(gamma) - 0.032077 * std::sin(gamma) -
                                          0.014615 * std::cos(2 * gamma) - 0.040849 * std::sin(2 * gamma));
  const double declination = 0.006918 - 0.399912 * std::cos(gamma) + 0.070257 * std::sin(gamma) -
                             0.006758 * std::cos(2 * gamma) + 0.000907 * std::sin(2 * gamma) -
                             0.002697 * std::cos(3 * gamma) + 0.00148 * std::sin(3 * gamma);
  angles.declination_deg = declination / kDeg;

  const double true_solar_minutes = minutes_utc + angles.equation_of_time_min + 4.0 * longitude_deg;
  angles.hour_angle_deg = std::remainder(true_solar_minutes / 4.0 - 180.0, 360.0);

  const double latitude = latitude_deg * kDeg;
  const double hour_angle = angles.hour_angle_deg * kDeg;
  const double cos_zenith = std::clamp(std::sin(latitude) * std::sin(declination) +
                                           std::cos(latitude) * std::cos(declination) * std::cos(hour_angle),
                                       -1.0, 1.0);
  const double zenith = std::acos(cos_zenith);
  angles.elevation_deg = 90.0 - zenith / kDeg;

  // Azimuth from north, clockwise: atan2 form of NOAA's cos(180 − θ) relation, valid at the poles too.
  const double east = -std::sin(hour_angle) * std::cos(declination);
  const double north = std::cos(latitude) * std::sin(declination) -
                       std::sin(latitude) * std::cos(declination) * std::cos(hour_angle);
  double azimuth = std::atan2(east, north) / kDeg;
  if (azimuth < 0) azimuth += 360.0;
  angles.azimuth_deg = azimuth;
  return angles;
}

}  // namespace hepek::sim
