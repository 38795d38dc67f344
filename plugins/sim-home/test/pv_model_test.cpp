#include <gtest/gtest.h>

#include "csv_series.hpp"
#include "pv_model.hpp"
#include "test_support.hpp"
#include "time_util.hpp"

using namespace hepek::sim;

namespace {
PvArray amsterdam_array(double kwp) {
  PvArray array;
  array.kwp = kwp;
  return array;
}
}  // namespace

TEST(ClearSkyPv, NoonIrradianceIsPlausibleAndNightIsZero) {
  const ClearSkyPv pv(amsterdam_array(1.0));
  const Irradiance noon = pv.irradiance(parse_iso8601_ms("2023-06-21T11:42:00Z"));
  EXPECT_GT(noon.direct_normal, 800);
  EXPECT_LT(noon.direct_normal, 1000);
  EXPECT_GT(noon.plane_of_array, 850);  // a 35° south-facing plane near the sun's normal in June
  EXPECT_LT(noon.plane_of_array, 1100);
  EXPECT_GT(noon.plane_of_array, noon.global_horizontal);
  EXPECT_EQ(pv.power_w(parse_iso8601_ms("2023-06-21T23:00:00Z"), 1.0), 0.0);
  // Clipped at the inverter rating.
  PvArray small_inverter = amsterdam_array(5.0);
  small_inverter.inverter_kw = 2.0;
  EXPECT_DOUBLE_EQ(ClearSkyPv(small_inverter).power_w(parse_iso8601_ms("2023-06-21T11:42:00Z"), 1.0), 2000.0);
}

TEST(PvSource, AnnualYieldIsRealisticForTheNetherlands) {
  PvSource clear(ClearSkyPv(amsterdam_array(1.0)), nullptr);
  PvSource cloudy(ClearSkyPv(amsterdam_array(1.0)), std::make_unique<SyntheticCloudiness>(42, 0.65, 52.37));
  const std::int64_t start = parse_iso8601_ms("2023-01-01T00:00:00Z");
  double clear_kwh = 0, cloudy_kwh = 0;
  for (std::int64_t t = start; t < start + 365 * kMillisPerDay; t += 900'000) {
    clear_kwh += static_cast<double>(clear.energy_mwh(t, 900'000)) / 1e6;
    cloudy_kwh += static_cast<double>(cloudy.energy_mwh(t, 900'000)) / 1e6;
  }
  std::printf("clear %.1f kWh cloudy %.1f kWh\n", clear_kwh, cloudy_kwh);
  EXPECT_GT(clear_kwh, 1300);  // clear-sky ceiling for 1 kWp at 52° N
  EXPECT_LT(clear_kwh, 1900);
  EXPECT_GT(cloudy_kwh, 750);  // Dutch yields are about 850–1000 kWh/kWp
  EXPECT_LT(cloudy_kwh, 1150);
}

TEST(SyntheticCloudiness, DeterministicPerSeed) {
  SyntheticCloudiness a(5, 0.5, 52), b(5, 0.5, 52), c(6, 0.5, 52);
  const std::int64_t start = parse_iso8601_ms("2023-04-01T00:00:00Z");
  bool differs = false;
  for (int hour = 0; hour < 24 * 10; ++hour) {
    const std::int64_t t = start + hour * kMillisPerHour;
    ASSERT_EQ(a.cloudiness(t), b.cloudiness(t));
    differs |= a.cloudiness(t) != c.cloudiness(t);
    ASSERT_GE(a.clear_sky_index(t), 0.1 - 1e-12);
    ASSERT_LE(a.clear_sky_index(t), 1.0);
  }
  EXPECT_TRUE(differs);
  EXPECT_THROW(SyntheticCloudiness(1, 1.5, 0), std::invalid_argument);
}

TEST(PvReplay, ScalesTheHouseholdPvColumn) {
  CsvSeries replay({hepek::testing::testdata("household/ausgrid_home12_retimed_2023_jul_nov_30min.csv"),
                    "pv_w", 0.5, false});
  CsvSeries original({hepek::testing::testdata("household/ausgrid_home12_retimed_2023_jul_nov_30min.csv"),
                      "pv_w", 1.0, false});
  const std::int64_t noon = parse_iso8601_ms("2023-07-03T12:00:00+02:00");
  EXPECT_NEAR(replay.energy_mwh(noon, 3'600'000) * 2, original.energy_mwh(noon, 3'600'000), 1);
}

TEST(Curtail, LimitsDeliveredEnergy) {
  const CurtailedEnergy full =
      curtail(1'000'000, 5000, 900'000);  // 1 kWh available, limit 5 kW × 15 min = 1.25 kWh
  EXPECT_EQ(full.delivered, 1'000'000);
  EXPECT_EQ(full.curtailed, 0);
  const CurtailedEnergy limited = curtail(1'000'000, 2000, 900'000);  // 2 kW × 15 min = 500 Wh
  EXPECT_EQ(limited.delivered, 500'000);
  EXPECT_EQ(limited.curtailed, 500'000);
  EXPECT_EQ(curtail(1'000'000, 0, 900'000).delivered, 0);
}
