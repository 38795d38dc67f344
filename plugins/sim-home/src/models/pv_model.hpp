// PV generation: clear-sky plane-of-array irradiance from the sun position, scaled by a cloudiness series, or
// a replayed power series (e.g. a household CSV's pv_w column) — and a curtailment limit on top.
//
// Contract: ClearSkyPv::power_w(t, clear_sky_index) is a pure function. Clear sky: extraterrestrial
// irradiance with the orbit's eccentricity, Kasten–Young air mass, Meinel's direct-beam attenuation
// (0.7^AM^0.678), diffuse 10 % of the beam (isotropic sky), ground reflection with albedo 0.2; DC→AC by
// `performance_ratio`, clipped at the inverter rating. SyntheticCloudiness is a pure function of (seed,
// time): a cloud regime per day and hourly variation around it, mapped to a clear-sky index k = 1 − 0.9·c^1.6
// (Kasten–Czeplak's shape, steepened so that the default mean cloudiness 0.65 gives the ~950 kWh/kWp a year
// of Dutch rooftops; K&C's own 0.75·c^3.4 applies to GHI from okta observations and overestimates PV yield
// here). PvSource integrates power over a step by 5-minute midpoint samples.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "power_series.hpp"

namespace hepek::sim {

struct PvArray {
  double latitude_deg = 52.37;
  double longitude_deg = 4.90;
  double tilt_deg = 35;      // 0 = flat
  double azimuth_deg = 180;  // the direction the panels face, clockwise from north
  double kwp = 5.0;
  double inverter_kw = 0;  // 0 = same as kwp
  double performance_ratio = 0.85;
  double albedo = 0.2;
};

struct Irradiance {
  double direct_normal = 0;
  double diffuse_horizontal = 0;
  double global_horizontal = 0;
  double plane_of_array = 0;
};

class ClearSkyPv {
 public:
  explicit ClearSkyPv(PvArray array);
  Irradiance irradiance(std::int64_t unix_ms) const;
  double power_w(std::int64_t unix_ms, double clear_sky_index) const;
  const PvArray& array() const { return array_; }

 private:
  PvArray array_;
};

// Cloudiness 0 (clear) .. 1 (overcast) as a clear-sky index series.
class CloudSeries {
 public:
  virtual ~CloudSeries() = default;
  virtual double clear_sky_index(std::int64_t unix_ms) = 0;
};

class SyntheticCloudiness final : public CloudSeries {
 public:
  SyntheticCloudiness(std::uint64_t seed, double mean_cloudiness, double latitude_deg);
  double cloudiness(std::int64_t unix_ms);
  double clear_sky_index(std::int64_t unix_ms) override;

 private:
  std::uint64_t seed_;
  double mean_cloudiness_;
  double latitude_deg_;
  std::int64_t cached_day_ = INT64_MIN;
  std::array<double, 24> cached_hours_{};
};

// Cloudiness read from any PowerSeries-like column (0..1), e.g. a CSV `time,cloudiness`.
class SeriesCloudiness final : public CloudSeries {
 public:
  explicit SeriesCloudiness(std::unique_ptr<PowerSeries> cloudiness) : cloudiness_(std::move(cloudiness)) {}
  double clear_sky_index(std::int64_t unix_ms) override;

 private:
  std::unique_ptr<PowerSeries> cloudiness_;
};

class PvSource final : public PowerSeries {
 public:
  PvSource(ClearSkyPv model, std::unique_ptr<CloudSeries> clouds);
  MilliWattHours energy_mwh(std::int64_t start_ms, std::int64_t duration_ms) override;
  double power_w_at(std::int64_t unix_ms) override;

 private:
  ClearSkyPv model_;
  std::unique_ptr<CloudSeries> clouds_;
};

// Clear-sky index (0.1..1) of a cloudiness 0..1.
double clear_sky_index_of(double cloudiness);

// Available and delivered energy of one step under a power limit (curtailment).
struct CurtailedEnergy {
  MilliWattHours delivered = 0;
  MilliWattHours curtailed = 0;
};
CurtailedEnergy curtail(MilliWattHours available, double limit_w, std::int64_t duration_ms);

}  // namespace hepek::sim
