#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>

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
