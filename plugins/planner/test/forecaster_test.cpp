#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

#include <gtest/gtest.h>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>
#include <hepek/timeseries/zone_clock.hpp>

#include "forecaster.hpp"
#include "solar_position.hpp"

using namespace hepek::planner;
using namespace hepek::timeseries;

namespace {
// A household with a daily shape, a weekend shift, a slow seasonal drift and noise.
double true_load(int64_t t) {
  const int second = local_second_of_day(t, 60);
  const double hour = second / 3600.0;
  const bool weekend = local_weekday(t, 60) >= 5;
  const double evening = std::exp(-std::pow(hour - (weekend ? 13 : 19), 2) / 4);
  return 300 + 1200 * evening + 0.002 * static_cast<double>(t % 10'000'000) / 100;
}
double true_pv(int64_t t, double cloud) {
  const double hour = local_second_of_day(t, 60) / 3600.0;
  return hour > 6 && hour < 20 ? 3000 * std::sin((hour - 6) / 14 * M_PI) * cloud : 0;
}
}  // namespace

TEST(Forecaster, BeatsPersistenceOnNoisyPeriodicLoad) {
  ForecastSettings settings;
  settings.slot_s = 1800;
  settings.offset_minutes = [](int64_t) { return 60; };
  Forecaster forecaster(settings);
  std::mt19937 rng(42);
  std::normal_distribution<double> noise(0, 150);
  std::uniform_real_distribution<double> cloud(0.3, 1.0);
  const int64_t start = parse_iso8601("2023-01-02T00:00:00+01:00")->unix_s;
  std::vector<double> load, pv;
  double day_cloud = 1;
  for (int k = 0; k < 70 * 48; ++k) {
    if (k % 48 == 0) day_cloud = cloud(rng);
    const int64_t t = start + k * 1800;
    load.push_back(std::max(0.0, true_load(t) + noise(rng)));
    pv.push_back(true_pv(t, day_cloud));
  }
  double error = 0, naive = 0, pv_error = 0, pv_naive = 0;
  int count = 0;
  for (int k = 0; k < 70 * 48; ++k) {
    const int64_t t = start + k * 1800;
    if (k >= 28 * 48 && k % 7 == 0) {  // score forecasts for the next 24 h after four weeks of learning
      const auto load_forecast = forecaster.load_w(t, 1800, 48);
      const auto pv_forecast = forecaster.pv_w(t, 1800, 48);
      for (int lead = 0; lead < 48 && k + lead < 70 * 48; ++lead) {
        error += std::fabs(load_forecast[lead] - load[k + lead]);
        naive += std::fabs(load[k + lead - 48] - load[k + lead]);
        pv_error += std::fabs(pv_forecast[lead] - pv[k + lead]);
        pv_naive += std::fabs(pv[k + lead - 48] - pv[k + lead]);
        ++count;
      }
    }
    forecaster.observe(t, load[k], pv[k]);
  }
  EXPECT_LT(error, 0.8 * naive) << error / count << " vs naive " << naive / count;
  EXPECT_LT(pv_error, pv_naive) << pv_error / count << " vs naive " << pv_naive / count;
  const auto multipliers = forecaster.pv_multipliers(3);
  ASSERT_EQ(multipliers.size(), 3u);
  EXPECT_LT(multipliers[0], multipliers[2]);
}

TEST(Forecaster, IgnoresOutOfOrderObservationsAndNeverGoesNegative) {
  ForecastSettings settings;
  settings.slot_s = 900;
  Forecaster forecaster(settings);
  forecaster.observe(10 * 900, 500, 0);
  forecaster.observe(5 * 900, 1e9, 0);  // from the past: ignored
  forecaster.observe(11 * 900, -20, 0);
  for (double v : forecaster.load_w(12 * 900, 900, 96)) {
    EXPECT_GE(v, 0);
    EXPECT_LT(v, 1000);
  }
  EXPECT_FALSE(forecaster.trained());
}

TEST(SolarPosition, NoonIsHighInAmsterdamSummerAndNightIsDark) {
  const int64_t noon = parse_iso8601("2023-06-21T13:40:00+02:00")->unix_s;
  EXPECT_NEAR(solar_elevation_deg(noon, 52.37, 4.90), 61.0, 1.5);
  EXPECT_EQ(clear_sky_ghi(parse_iso8601("2023-06-21T01:00:00+02:00")->unix_s, 52.37, 4.90), 0.0);
  EXPECT_GT(clear_sky_ghi(noon, 52.37, 4.90), 800);
}

TEST(Forecaster, ClearSkyModelLearnsAFactor) {
  ForecastSettings settings;
  settings.slot_s = 1800;
  settings.pv_model = PvModel::clear_sky;
  settings.offset_minutes = [](int64_t) { return 120; };
  Forecaster forecaster(settings);
  const int64_t start = parse_iso8601("2023-06-01T00:00:00+02:00")->unix_s;
  for (int k = 0; k < 14 * 48; ++k) {
    const int64_t t = start + k * 1800;
    forecaster.observe(t, 400, 4.0 * mean_clear_sky_ghi(t, 1800, 52.37, 4.90));  // a 4 W per W/m² array
  }
  const int64_t noon = start + 14 * 86400 + 11 * 3600 + 1800;
  EXPECT_NEAR(forecaster.pv_w(noon, 1800, 1)[0], 4.0 * mean_clear_sky_ghi(noon, 1800, 52.37, 4.90), 200);
}

// Issue 8: day types and times of day follow the home's zone with its DST rules, not one fixed offset.
namespace {
// An evening peak at 17:00-17:30 on the Amsterdam clock; Sundays (Amsterdam) much higher all day.
double amsterdam_load(int64_t t) {
  ZoneClock clock("Europe/Amsterdam");
  const int offset = clock.offset_minutes_at_s(t);
  const bool sunday = local_weekday(t, offset) == 6;
  const int half_hour = local_second_of_day(t, offset) / 1800;
  return (sunday ? 3000 : 300) + (half_hour == 34 ? 1500 : 0);
}
Forecaster trained_until(const char* until_iso, std::function<int(int64_t)> offsets) {
  ForecastSettings settings;
  settings.slot_s = 1800;
  settings.offset_minutes = std::move(offsets);
  Forecaster forecaster(settings);
  const int64_t until = parse_iso8601(until_iso)->unix_s;
  for (int64_t t = until - 21 * 86400; t < until; t += 1800) forecaster.observe(t, amsterdam_load(t), 0);
  return forecaster;
}
size_t peak_slot(const std::vector<double>& forecast) {
  return static_cast<size_t>(std::max_element(forecast.begin(), forecast.end()) - forecast.begin());
}
}  // namespace

TEST(Forecaster, TimeOfDayFollowsTheZoneAcrossSpringForward) {
  // Learned in winter time (CET); 2023-03-26 has 23 hours and the days after are CEST.
  const auto forecaster = trained_until("2023-03-26T00:00:00+01:00", offsets_in_zone("Europe/Amsterdam"));
  const int64_t dst_day = parse_iso8601("2023-03-26T00:00:00+01:00")->unix_s;
  // 17:00 CEST on the 23-hour day is 16 hours after local midnight.
  EXPECT_EQ(peak_slot(forecaster.load_w(dst_day, 1800, 46)), 32u);
  const int64_t monday = parse_iso8601("2023-03-27T00:00:00+02:00")->unix_s;
  EXPECT_EQ(peak_slot(forecaster.load_w(monday, 1800, 48)), 34u);  // 17:00 local, as learned
  // A forecaster on one fixed offset (+01:00) puts the peak an hour late in summer time.
  const auto fixed = trained_until("2023-03-26T00:00:00+01:00", [](int64_t) { return 60; });
  EXPECT_EQ(peak_slot(fixed.load_w(monday, 1800, 48)), 36u);
}

TEST(Forecaster, DayTypeAndTimeOfDayFollowTheZoneAcrossFallBack) {
  const auto zone = offsets_in_zone("Europe/Amsterdam");
  const auto forecaster = trained_until("2023-10-28T22:00:00+02:00", zone);
  // 2023-10-29 00:30 CEST is a Sunday in Amsterdam (still Saturday 22:30 in UTC): the Sunday level.
  const int64_t sunday_night = parse_iso8601("2023-10-29T00:30:00+02:00")->unix_s;
  EXPECT_GT(forecaster.load_w(sunday_night, 1800, 1)[0], 1000);
  // A week later, in winter time: Saturday 23:30 in Amsterdam is a Saturday. A forecaster on one fixed offset
  // learned that hour (22:30 UTC) in summer, when it was already Sunday there.
  const int64_t saturday_night = parse_iso8601("2023-11-04T23:30:00+01:00")->unix_s;
  const auto zoned = trained_until("2023-11-04T12:00:00+01:00", zone);
  EXPECT_LT(zoned.load_w(saturday_night, 1800, 1)[0], 1000);
  const auto fixed = trained_until("2023-11-04T12:00:00+01:00", [](int64_t) { return 120; });
  EXPECT_GT(fixed.load_w(saturday_night, 1800, 1)[0], 1000);
  // The 25-hour day, then Monday in winter time: the peak stays at 17:00 on the clock.
  const int64_t fall_back_day = parse_iso8601("2023-10-29T00:00:00+02:00")->unix_s;
  EXPECT_EQ(peak_slot(forecaster.load_w(fall_back_day, 1800, 50)), 36u);  // 18 h after local midnight
  const int64_t monday = parse_iso8601("2023-10-30T00:00:00+01:00")->unix_s;
  EXPECT_EQ(peak_slot(forecaster.load_w(monday, 1800, 48)), 34u);
}
