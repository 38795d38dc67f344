// A synthetic household load: daily shape (morning and evening peaks, a later morning at weekends), weekly
// and seasonal variation (more in winter; the season follows the hemisphere of `latitude_deg`), and seeded
// noise.
//
// Contract: the series is piecewise constant over 15-minute buckets (local civil time of `timezone` drives
// the daily and weekly shape) and is a pure function of (options, time): the noise of a day comes from an
// mt19937_64 stream seeded with (seed, day), smoothed by an AR(1) filter within the day. The long-run mean is
// close to annual_kwh / 8760 h. Not thread-safe (caches one day of noise).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "power_series.hpp"
#include "time_util.hpp"

namespace hepek::sim {

struct SyntheticLoadOptions {
  double annual_kwh = 3500;
  double noise = 0.15;              // relative standard deviation of the multiplicative noise
  double seasonal_amplitude = 0.2;  // winter/summer swing around the mean, relative
  double latitude_deg = 52.0;
  std::string timezone = "Europe/Amsterdam";
  std::uint64_t seed = 1;
};

class SyntheticLoad final : public PowerSeries {
 public:
  static constexpr std::int64_t kBucketMs = 15 * 60 * 1000;
  static constexpr int kBucketsPerDay = 96;

  explicit SyntheticLoad(SyntheticLoadOptions options);
  MilliWattHours energy_mwh(std::int64_t start_ms, std::int64_t duration_ms) override;
  double power_w_at(std::int64_t unix_ms) override;

  // The noiseless daily shape at a local hour of day (0..24), relative to the weekly mean; for tests.
  static double daily_shape(double local_hour, bool weekend);

 private:
  double bucket_power_w(std::int64_t bucket_index);
  const std::array<double, kBucketsPerDay>& noise_of_day(std::int64_t day);

  SyntheticLoadOptions options_;
  LocalClock clock_;
  double shape_normaliser_ = 1.0;
  std::int64_t cached_day_ = INT64_MIN;
  std::array<double, kBucketsPerDay> cached_noise_{};
};

}  // namespace hepek::sim
