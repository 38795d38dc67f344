#include "house_model.hpp"

#include <cmath>
#include <stdexcept>

namespace hepek::sim {
namespace {
constexpr std::int64_t kSampleMs = 5 * 60 * 1000;

PvArray window_plane(const HouseOptions& o) {
  PvArray plane;
  plane.latitude_deg = o.latitude_deg;
  plane.longitude_deg = o.longitude_deg;
  plane.tilt_deg = 90;
  plane.azimuth_deg = o.window_azimuth_deg;
  plane.kwp = 0;
  return plane;
}
}  // namespace

House::House(HouseOptions options, std::unique_ptr<CloudSeries> clouds)
    : options_(options), window_(window_plane(options)), clouds_(std::move(clouds)) {
  validate(options_.rc);
  validate(options_.unit);
  if (!(options_.window_area_m2 >= 0)) throw std::invalid_argument("house: window_area_m2 must be >= 0");
  if (!(options_.window_g_value >= 0 && options_.window_g_value <= 1))
    throw std::invalid_argument("house: window_g_value must be within 0..1");
  state_ = {options_.initial_indoor_c, options_.initial_indoor_c};
}

double House::solar_gain_kw(std::int64_t start_ms, std::int64_t duration_ms) {
  if (duration_ms <= 0 || options_.window_area_m2 == 0) return 0;
  double sum = 0;
  int samples = 0;
  for (std::int64_t t = start_ms + kSampleMs / 2; t < start_ms + duration_ms; t += kSampleMs, ++samples) {
    const double clear = clouds_ ? clouds_->clear_sky_index(t) : 1.0;
    sum += window_.irradiance(t).plane_of_array * clear;
  }
  if (samples == 0) sum = window_.irradiance(start_ms + duration_ms / 2).plane_of_array, samples = 1;
  return sum / samples * options_.window_area_m2 * options_.window_g_value / 1000.0;
}

HouseStep House::step(std::int64_t start_ms, std::int64_t duration_ms, double outdoor_c, double internal_kw,
                      const HvacRequest& request) {
  HouseStep result;
  const double hours = static_cast<double>(duration_ms) / static_cast<double>(kMillisPerHour);
  result.solar_kw = solar_gain_kw(start_ms, duration_ms);
  const double gains_kw = result.solar_kw + internal_kw;
  result.hvac = decide_hvac(options_.unit, request, options_.rc, state_, outdoor_c, gains_kw, hours);
  result.thermal = thermal_step(options_.rc, state_, outdoor_c, gains_kw + result.hvac.thermal_kw, hours);
  result.electric_mwh = energy_mwh(result.hvac.electric_kw * 1000.0, duration_ms);
  result.thermal_kwh = std::abs(result.hvac.thermal_kw) * hours;
  state_ = result.thermal.end;
  return result;
}

}  // namespace hepek::sim
