#include <gtest/gtest.h>

#include "heat_pump_model.hpp"
#include "thermostat_setting.hpp"

using namespace hepek::sim;

TEST(HeatPump, CarnotFractionCop) {
  const HeatPumpOptions unit;  // η 0.45, approach 10 K
  // Heating at 7 °C outdoor, 20 °C indoor: 0.45 · 303.15 / 33.
  EXPECT_NEAR(heating_cop(unit, 20, 7), 0.45 * 303.15 / 33.0, 1e-9);
  EXPECT_NEAR(cooling_eer(unit, 27, 35), 0.45 * 290.15 / 28.0, 1e-9);
  // Colder outside → worse heating; hotter outside → worse cooling.
  EXPECT_LT(heating_cop(unit, 20, -7), heating_cop(unit, 20, 7));
  EXPECT_LT(cooling_eer(unit, 25, 35), cooling_eer(unit, 25, 25));
}

TEST(HeatPump, CopIsCapped) {
  HeatPumpOptions unit;
  unit.cop_max = 6.0;
  EXPECT_DOUBLE_EQ(heating_cop(unit, 20, 40), 6.0);  // outdoor warmer than the condenser: capped
  EXPECT_DOUBLE_EQ(cooling_eer(unit, 25, 5), 6.0);
  unit.cop_min = 1.5;
  EXPECT_DOUBLE_EQ(heating_cop(unit, 20, -60), 1.5);
}

TEST(HeatPump, ModesAndDeadband) {
  const RcParams house{2.1, 6.9, 6.67, 0.29};
  const HeatPumpOptions unit;
  const ThermalState at22{22, 22};
  // 22 °C with no gains at 22 °C outdoor stays 22: auto with setpoint 22 ± 1 idles; cool to 20 cools.
  EXPECT_STREQ(decide_hvac(unit, {HvacMode::automatic, 22, 2}, house, at22, 22, 0, 0.25).action, "idle");
  const HvacDecision cool = decide_hvac(unit, {HvacMode::cool, 20, 2}, house, at22, 22, 0, 0.25);
  EXPECT_STREQ(cool.action, "cooling");
  EXPECT_LT(cool.thermal_kw, 0);
  EXPECT_NEAR(cool.electric_kw, -cool.thermal_kw / cool.cop, 1e-12);
  EXPECT_STREQ(decide_hvac(unit, {HvacMode::heat, 20, 2}, house, at22, 22, 0, 0.25).action, "idle");
  EXPECT_STREQ(decide_hvac(unit, {HvacMode::off, 30, 2}, house, at22, 22, 0, 0.25).action, "off");
  // Capacity: a cold house heats at the limit min(max thermal, max electric · COP).
  const HvacDecision full = decide_hvac(unit, {HvacMode::heat, 21, 2}, house, {10, 10}, -10, 0, 0.25);
  EXPECT_NEAR(full.thermal_kw, std::min(unit.max_thermal_kw, unit.max_electric_kw * full.cop), 1e-12);
  EXPECT_THROW(hvac_mode_of("dry"), std::invalid_argument);
  EXPECT_EQ(hvac_mode_of("auto"), HvacMode::automatic);
}

TEST(ThermostatSetting, OverridesLapseBackToTheUsersSetting) {
  ThermostatSetting setting({HvacMode::automatic, 21.0, 2.0});
  setting.apply(24.0, HvacMode::cool, 3600.0, 1'000'000);  // a planner: pre-cool for an hour
  EXPECT_EQ(setting.in_effect(1'000'000).mode, HvacMode::cool);
  EXPECT_EQ(setting.in_effect(1'000'000).setpoint_c, 24.0);
  EXPECT_EQ(setting.override_until_ms(), 1'000'000 + 3'600'000);
  EXPECT_EQ(setting.in_effect(1'000'000 + 3'599'999).setpoint_c, 24.0);
  EXPECT_EQ(setting.in_effect(1'000'000 + 3'600'000).setpoint_c, 21.0);  // lapsed
  EXPECT_EQ(setting.in_effect(1'000'000 + 3'600'000).mode, HvacMode::automatic);
  EXPECT_FALSE(setting.override_until_ms());
  setting.apply(23.0, std::nullopt, 600.0, 0);
  setting.apply(std::nullopt, HvacMode::heat, std::nullopt, 1000);  // the user's own change ends the override
  EXPECT_FALSE(setting.override_until_ms());
  EXPECT_EQ(setting.in_effect(2000).setpoint_c, 21.0);
  EXPECT_EQ(setting.in_effect(2000).mode, HvacMode::heat);
}
