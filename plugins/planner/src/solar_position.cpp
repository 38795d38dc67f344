#include "solar_position.hpp"

#include <algorithm>
#include <cmath>

namespace hepek::planner {
namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kDeg = kPi / 180.0;
}  // namespace

double solar_elevation_deg(int64_t unix_s, double latitude_deg, double longitude_deg) {
  const double days = static_cast<double>(unix_s) / 86400.0;  // since 1970-01-01
  const double day_of_year = std::fmod(days, 365.2422);
  const double gamma =
      2 * kPi / 365.2422 * day_of_year;  // fractional year (radians), good enough for elevation
  const double equation_of_time_min =
      229.18 * (0.000075 + 0.001868 * std::cos(gamma) - 0.032077 * std::sin(gamma) -
                0.014615 * std::cos(2 * gamma) - 0.040849 * std::sin(2 * gamma));
  const double declination = 0.006918 - 0.399912 * std::cos(gamma) + 0.070257 * std::sin(gamma) -
                             0.006758 * std::cos(2 * gamma) + 0.000907 * std::sin(2 * gamma) -
                             0.002697 * std::cos(3 * gamma) + 0.00148 * std::sin(3 * gamma);
  const double utc_minutes = std::fmod(static_cast<double>(unix_s), 86400.0) / 60.0;
  const double solar_minutes = utc_minutes + equation_of_time_min + 4 * longitude_deg;
  const double hour_angle = (solar_minutes / 4 - 180) * kDeg;
  const double latitude = latitude_deg * kDeg;
  const double cos_zenith = std::sin(latitude) * std::sin(declination) +
                            std::cos(latitude) * std::cos(declination) * std::cos(hour_angle);
  return 90.0 - std::acos(std::clamp(cos_zenith, -1.0, 1.0)) / kDeg;
}

double clear_sky_ghi(int64_t unix_s, double latitude_deg, double longitude_deg) {
  const double elevation = solar_elevation_deg(unix_s, latitude_deg, longitude_deg);
  if (elevation <= 0) return 0;
  const double cos_zenith = std::sin(elevation * kDeg);
  return 1098.0 * cos_zenith * std::exp(-0.057 / cos_zenith);
}

double mean_clear_sky_ghi(int64_t start_s, int64_t duration_s, double latitude_deg, double longitude_deg) {
  const int64_t sample = 300;
  const int64_t samples = std::max<int64_t>(1, duration_s / sample);
  double sum = 0;
  for (int64_t i = 0; i < samples; ++i)
    sum += clear_sky_ghi(start_s + i * sample + sample / 2, latitude_deg, longitude_deg);
  return sum / static_cast<double>(samples);
}

}  // namespace hepek::planner
