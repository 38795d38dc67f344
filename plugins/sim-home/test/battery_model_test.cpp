#include <gtest/gtest.h>

#include "battery_model.hpp"

using namespace hepek::sim;

namespace {
constexpr std::int64_t kHour = 3'600'000;
BatteryOptions lossless() {
  BatteryOptions options;
  options.capacity_wh = 10'000;
  options.max_charge_w = 3'000;
  options.max_discharge_w = 4'000;
  options.charge_efficiency = 1.0;
  options.discharge_efficiency = 1.0;
  options.soc_min_pct = 10;
  options.soc_max_pct = 90;
  options.self_discharge_pct_per_day = 0;
  options.initial_soc_pct = 50;
  return options;
}
BatteryStepInput hour(std::int64_t start, MilliWattHours load, MilliWattHours pv, bool connected = true) {
  return {start, kHour, load, pv, connected};
}
}  // namespace

TEST(Battery, SelfConsumptionCoversLoadAndTakesSurplus) {
  Battery battery(lossless());
  const BatteryStepResult cover = battery.step(hour(0, 1'500'000, 500'000));
  EXPECT_EQ(cover.discharge, 1'000'000);
  EXPECT_EQ(cover.charge, 0);
  EXPECT_DOUBLE_EQ(cover.power_w(), 1000.0);
  const BatteryStepResult absorb = battery.step(hour(kHour, 200'000, 1'200'000));
  EXPECT_EQ(absorb.charge, 1'000'000);
  EXPECT_DOUBLE_EQ(absorb.power_w(), -1000.0);
  EXPECT_EQ(battery.stored(), 5'000'000);
}

TEST(Battery, PowerLimits) {
  Battery battery(lossless());
  EXPECT_EQ(battery.step(hour(0, 9'000'000, 0)).discharge, 4'000'000);  // 4 kW cap
  Battery other(lossless());
  EXPECT_EQ(other.step(hour(0, 0, 9'000'000)).charge, 3'000'000);  // 3 kW cap
}

TEST(Battery, SocWindow) {
  Battery battery(lossless());
  // 5 kWh stored, floor at 1 kWh: only 4 kWh can leave, then nothing.
  EXPECT_EQ(battery.step(hour(0, 3'000'000, 0)).discharge, 3'000'000);
  EXPECT_EQ(battery.step(hour(kHour, 3'000'000, 0)).discharge, 1'000'000);
  EXPECT_EQ(battery.step(hour(2 * kHour, 3'000'000, 0)).discharge, 0);
  EXPECT_DOUBLE_EQ(battery.soc_pct(), 10.0);
  // Ceiling at 9 kWh.
  for (int i = 0; i < 5; ++i) battery.step(hour((3 + i) * kHour, 0, 3'000'000));
  EXPECT_DOUBLE_EQ(battery.soc_pct(), 90.0);
}

TEST(Battery, EfficienciesLoseEnergyBothWays) {
  BatteryOptions options = lossless();
  options.charge_efficiency = 0.95;
  options.discharge_efficiency = 0.90;
  Battery battery(options);
  const BatteryStepResult charged = battery.step(hour(0, 0, 1'000'000));
  EXPECT_EQ(charged.charge, 1'000'000);
  EXPECT_EQ(charged.conversion_loss, 50'000);
  EXPECT_EQ(battery.stored(), 5'950'000);
  const BatteryStepResult discharged = battery.step(hour(kHour, 900'000, 0));
  EXPECT_EQ(discharged.discharge, 900'000);
  EXPECT_EQ(discharged.conversion_loss, 100'000);
  EXPECT_EQ(battery.stored(), 4'950'000);
  // Near the floor, the deliverable AC energy is the usable stored energy times η.
  BatteryOptions low = options;
  low.initial_soc_pct = 11;  // 1.1 kWh stored, 0.1 kWh above the floor
  Battery nearly_empty(low);
  EXPECT_EQ(nearly_empty.step(hour(0, 1'000'000, 0)).discharge, 90'000);
  EXPECT_EQ(nearly_empty.stored(), 1'000'000);
}

TEST(Battery, SelfDischarge) {
  BatteryOptions options = lossless();
  options.self_discharge_pct_per_day = 2.4;  // 0.1 % per hour
  Battery battery(options);
  const BatteryStepResult idle = battery.step(hour(0, 0, 0));
  EXPECT_EQ(idle.self_discharge, 5'000);
  EXPECT_EQ(battery.stored(), 4'995'000);
}

TEST(Battery, SetpointIsFollowedUntilItExpiresThenSelfConsumption) {
  Battery battery(lossless());
  battery.set_setpoint(-2000, 0, 2 * 3600);  // charge 2 kW for two hours, from the grid
  const BatteryStepResult first = battery.step(hour(0, 800'000, 0));
  EXPECT_TRUE(first.followed_setpoint);
  EXPECT_EQ(first.charge, 2'000'000);
  EXPECT_EQ(battery.step(hour(kHour, 800'000, 0)).charge, 2'000'000);
  ASSERT_FALSE(battery.active_setpoint(2 * kHour).has_value());
  const BatteryStepResult fallback = battery.step(hour(2 * kHour, 800'000, 0));  // expired: cover the load
  EXPECT_FALSE(fallback.followed_setpoint);
  EXPECT_EQ(fallback.charge, 0);
  EXPECT_EQ(fallback.discharge, 800'000);
  // Discharge setpoints are clipped by the power limit.
  battery.set_setpoint(10'000, 3 * kHour, 3600);
  EXPECT_EQ(battery.step(hour(3 * kHour, 0, 0)).discharge, 4'000'000);
}

TEST(Battery, IslandedIgnoresSetpointsAndServesTheHome) {
  Battery battery(lossless());
  battery.set_setpoint(4000, 0, 3600);  // would export; impossible with the relay off
  const BatteryStepResult islanded = battery.step(hour(0, 500'000, 0, /*connected=*/false));
  EXPECT_FALSE(islanded.followed_setpoint);
  EXPECT_EQ(islanded.discharge, 500'000);
}

TEST(Battery, RejectsBadOptionsAndSetpoints) {
  BatteryOptions options = lossless();
  options.soc_min_pct = 95;
  EXPECT_THROW(Battery{options}, std::invalid_argument);
  options = lossless();
  options.charge_efficiency = 0;
  EXPECT_THROW(Battery{options}, std::invalid_argument);
  Battery battery(lossless());
  EXPECT_THROW(battery.set_setpoint(100, 0, 0), std::invalid_argument);
}
