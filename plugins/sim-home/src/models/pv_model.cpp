#include "pv_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "seeded_random.hpp"
#include "sun_position.hpp"
#include "time_util.hpp"

namespace hepek::sim {
namespace {
constexpr double kDeg = M_PI / 180.0;
constexpr double kSolarConstant = 1361.0;  // W/m²
constexpr std::int64_t kSampleMs = 5 * 60 * 1000;
}  // namespace

ClearSkyPv::ClearSkyPv(PvArray array) : array_(array) {
  if (!(array_.latitude_deg >= -90 && array_.latitude_deg <= 90))
    throw std::invalid_argument("PV: latitude must be within -90..90 degrees");
  if (!(array_.longitude_deg >= -180 && array_.longitude_deg <= 180))
    throw std::invalid_argument("PV: longitude must be within -180..180 degrees");
  if (!(array_.tilt_deg >= 0 && array_.tilt_deg <= 90))
    throw std::invalid_argument("PV: tilt must be within 0..90");
  if (!(array_.kwp >= 0)) throw std::invalid_argument("PV: kwp must be >= 0");
  if (!(array_.performance_ratio > 0 && array_.performance_ratio <= 1))
    throw std::invalid_argument("PV: performance_ratio must be within (0, 1]");
  if (array_.inverter_kw <= 0) array_.inverter_kw = array_.kwp;
}

Irradiance ClearSkyPv::irradiance(std::int64_t unix_ms) const {
  const SolarAngles sun = sun_position(unix_ms, array_.latitude_deg, array_.longitude_deg);
  Irradiance result;
  if (sun.elevation_deg <= 0) return result;
  const double zenith_deg = 90.0 - sun.elevation_deg;
  const double cos_zenith = std::cos(zenith_deg * kDeg);
  const double air_mass = 1.0 / (cos_zenith + 0.50572 * std::pow(96.07995 - zenith_deg, -1.6364));
  const double extraterrestrial =
      kSolarConstant * (1.0 + 0.033 * std::cos(2.0 * M_PI * day_of_year_utc(unix_ms) / 365.0));
  result.direct_normal = extraterrestrial * std::pow(0.7, std::pow(air_mass, 0.678));
  result.diffuse_horizontal = 0.1 * result.direct_normal;
  result.global_horizontal = result.direct_normal * cos_zenith + result.diffuse_horizontal;

  const double tilt = array_.tilt_deg * kDeg;
  const double cos_incidence =
      cos_zenith * std::cos(tilt) +
      std::sin(zenith_deg * kDeg) * std::sin(tilt) * std::cos((sun.azimuth_deg - array_.azimuth_deg) * kDeg);
  result.plane_of_array = result.direct_normal * std::max(0.0, cos_incidence) +
                          result.diffuse_horizontal * (1.0 + std::cos(tilt)) / 2.0 +
                          result.global_horizontal * array_.albedo * (1.0 - std::cos(tilt)) / 2.0;
  return result;
}

double ClearSkyPv::power_w(std::int64_t unix_ms, double clear_sky_index) const {
  const double dc_w = array_.kwp * irradiance(unix_ms).plane_of_array;  // kWp at 1000 W/m²
  return std::clamp(dc_w * array_.performance_ratio * clear_sky_index, 0.0, array_.inverter_kw * 1000.0);
}

SyntheticCloudiness::SyntheticCloudiness(std::uint64_t seed, double mean_cloudiness, double latitude_deg)
    : seed_(seed), mean_cloudiness_(mean_cloudiness), latitude_deg_(latitude_deg) {
  if (!(mean_cloudiness_ >= 0 && mean_cloudiness_ <= 1))
    throw std::invalid_argument("PV: cloudiness must be within 0..1");
}

double SyntheticCloudiness::cloudiness(std::int64_t unix_ms) {
  const std::int64_t day = floor_div(unix_ms, kMillisPerDay);
  if (day != cached_day_) {
    // Stream offset keeps the clouds independent of a load model that shares the seed.
    SeededRandom random(seed_, static_cast<std::uint64_t>(day) ^ 0x5EED'C10D'0000'0000ULL);
    const double winter_peak_day = latitude_deg_ >= 0 ? 15.0 : 197.0;
    const double season = 0.15 * std::cos(2.0 * M_PI * (day_of_year_utc(unix_ms) - winter_peak_day) / 365.25);
    // Day regime: mostly clear, mixed or overcast days, centred on the configured mean.
    const double regime = std::clamp(mean_cloudiness_ + season + 0.35 * random.normal(), 0.0, 1.0);
    double drift = 0;
    for (auto& hour : cached_hours_) {
      drift = 0.6 * drift + 0.2 * random.normal();
      hour = std::clamp(regime + drift, 0.0, 1.0);
    }
    cached_day_ = day;
  }
  return cached_hours_[static_cast<std::size_t>(floor_mod(unix_ms, kMillisPerDay) / kMillisPerHour)];
}

double SyntheticCloudiness::clear_sky_index(std::int64_t unix_ms) {
  return clear_sky_index_of(cloudiness(unix_ms));
}

double SeriesCloudiness::clear_sky_index(std::int64_t unix_ms) {
  return clear_sky_index_of(std::clamp(cloudiness_->power_w_at(unix_ms), 0.0, 1.0));
}

PvSource::PvSource(ClearSkyPv model, std::unique_ptr<CloudSeries> clouds)
    : model_(std::move(model)), clouds_(std::move(clouds)) {}

double PvSource::power_w_at(std::int64_t unix_ms) {
  return model_.power_w(unix_ms, clouds_ ? clouds_->clear_sky_index(unix_ms) : 1.0);
}

MilliWattHours PvSource::energy_mwh(std::int64_t start_ms, std::int64_t duration_ms) {
  if (duration_ms <= 0) return 0;
  const std::int64_t samples = std::max<std::int64_t>(1, (duration_ms + kSampleMs - 1) / kSampleMs);
  double watt_ms = 0;
  std::int64_t cursor = start_ms;
  for (std::int64_t i = 0; i < samples; ++i) {
    const std::int64_t piece = (duration_ms - (cursor - start_ms)) / (samples - i);
    watt_ms += power_w_at(cursor + piece / 2) * static_cast<double>(piece);
    cursor += piece;
  }
  return std::llround(watt_ms / 3600.0);
}

double clear_sky_index_of(double cloudiness) {
  return 1.0 - 0.9 * std::pow(cloudiness, 1.6);
}

CurtailedEnergy curtail(MilliWattHours available, double limit_w, std::int64_t duration_ms) {
  const MilliWattHours cap = std::max<MilliWattHours>(0, energy_mwh(std::max(0.0, limit_w), duration_ms));
  const MilliWattHours delivered = std::min(available, cap);
  return {delivered, available - delivered};
}

}  // namespace hepek::sim
