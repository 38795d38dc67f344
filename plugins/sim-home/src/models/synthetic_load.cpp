#include "synthetic_load.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "seeded_random.hpp"

namespace hepek::sim {
namespace {

double bump(double hour, double centre, double width) {
  const double d = (hour - centre) / width;
  return std::exp(-0.5 * d * d);
}

}  // namespace

double SyntheticLoad::daily_shape(double hour, bool weekend) {
  const double base = 0.45;
  const double morning = weekend ? 0.8 * bump(hour, 9.0, 1.5) : 0.9 * bump(hour, 7.25, 0.9);
  const double midday = weekend ? 0.6 * bump(hour, 13.0, 2.0) : 0.3 * bump(hour, 12.5, 1.5);
  const double evening = 1.4 * bump(hour, 19.25, 1.8);
  return base + morning + midday + evening;
}

SyntheticLoad::SyntheticLoad(SyntheticLoadOptions options)
    : options_(std::move(options)), clock_(options_.timezone) {
  if (!(options_.annual_kwh >= 0)) throw std::invalid_argument("synthetic load: annual_kwh must be >= 0");
  if (!(options_.noise >= 0 && options_.noise < 1))
    throw std::invalid_argument("synthetic load: noise must be in [0, 1)");
  if (!(std::abs(options_.seasonal_amplitude) < 1))
    throw std::invalid_argument("synthetic load: seasonal_amplitude must be in (-1, 1)");
  // Normalise the weekly shape to mean 1 so annual_kwh sets the level.
  double sum = 0;
  for (int day = 0; day < 7; ++day)
    for (int bucket = 0; bucket < kBucketsPerDay; ++bucket)
      sum += daily_shape((bucket + 0.5) / 4.0, day >= 5);
  shape_normaliser_ = sum / (7.0 * kBucketsPerDay);
}

const std::array<double, SyntheticLoad::kBucketsPerDay>& SyntheticLoad::noise_of_day(std::int64_t day) {
  if (day == cached_day_) return cached_noise_;
  SeededRandom random(options_.seed, static_cast<std::uint64_t>(day));
  // AR(1) with unit stationary variance: neighbouring quarter-hours are correlated as in real homes.
  constexpr double kCorrelation = 0.7;
  const double innovation = std::sqrt(1.0 - kCorrelation * kCorrelation);
  double state = random.normal();
  for (auto& value : cached_noise_) {
    value = state;
    state = kCorrelation * state + innovation * random.normal();
  }
  cached_day_ = day;
  return cached_noise_;
}

double SyntheticLoad::bucket_power_w(std::int64_t bucket_index) {
  const std::int64_t start_utc = bucket_index * kBucketMs;
  const std::int64_t local_mid = clock_.to_local_ms(start_utc + kBucketMs / 2);
  const std::int64_t local_day = floor_div(local_mid, kMillisPerDay);
  const double hour = static_cast<double>(local_mid - local_day * kMillisPerDay) / kMillisPerHour;
  // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 for Monday.
  const bool weekend = floor_mod(local_day + 3, 7) >= 5;
  const double day_of_year = static_cast<double>(day_of_year_utc(start_utc));
  const double winter_peak_day = options_.latitude_deg >= 0 ? 15.0 : 197.0;
  const double season =
      1.0 + options_.seasonal_amplitude * std::cos(2.0 * M_PI * (day_of_year - winter_peak_day) / 365.25);
  const double mean_w = options_.annual_kwh * 1000.0 / 8760.0;
  const std::int64_t utc_day = floor_div(start_utc, kMillisPerDay);
  const auto& noise = noise_of_day(utc_day);
  const double noise_factor = std::max(
      0.2, 1.0 + options_.noise *
                     noise[static_cast<std::size_t>((start_utc - utc_day * kMillisPerDay) / kBucketMs)]);
  return mean_w * daily_shape(hour, weekend) / shape_normaliser_ * season * noise_factor;
}

double SyntheticLoad::power_w_at(std::int64_t unix_ms) {
  return bucket_power_w(floor_div(unix_ms, kBucketMs));
}

MilliWattHours SyntheticLoad::energy_mwh(std::int64_t start_ms, std::int64_t duration_ms) {
  double watt_ms = 0;
  std::int64_t cursor = start_ms;
  const std::int64_t end = start_ms + duration_ms;
  while (cursor < end) {
    const std::int64_t bucket = floor_div(cursor, kBucketMs);
    const std::int64_t piece = std::min(end, (bucket + 1) * kBucketMs) - cursor;
    watt_ms += bucket_power_w(bucket) * static_cast<double>(piece);
    cursor += piece;
  }
  return std::llround(watt_ms / 3600.0);
}

}  // namespace hepek::sim
