#include <gtest/gtest.h>

#include <cmath>

#include "house_model.hpp"
#include "thermal_model.hpp"

using namespace hepek::sim;

namespace {
const RcParams kHouse{2.1, 6.9, 6.67, 0.29};
}

TEST(ThermalModel, SteadyStateIsOutdoorPlusHeatTimesRia) {
  const ThermalState state = thermal_step(kHouse, {10.0, 10.0}, 5.0, 2.0, 5000.0).end;  // 80 time constants
  EXPECT_NEAR(state.indoor_c, 5.0 + 2.0 * 6.67, 1e-9);
  EXPECT_NEAR(state.mass_c, 5.0 + 2.0 * 6.67, 1e-9);
  EXPECT_DOUBLE_EQ(steady_indoor_c(kHouse, 5.0, 2.0), 5.0 + 2.0 * 6.67);
}

TEST(ThermalModel, OneLongStepEqualsManyShortOnes) {
  const ThermalState start{20.0, 18.0};
  const ThermalStep once = thermal_step(kHouse, start, 0.0, 1.5, 6.0);
  ThermalState state = start;
  for (int i = 0; i < 24 * 60; ++i) state = thermal_step(kHouse, state, 0.0, 1.5, 6.0 / (24 * 60)).end;
  EXPECT_NEAR(once.end.indoor_c, state.indoor_c, 1e-9);
  EXPECT_NEAR(once.end.mass_c, state.mass_c, 1e-9);
}

TEST(ThermalModel, ExactAgainstFineEulerIntegration) {
  // Forward Euler at 0.36 s steps converges to the exact solution; the model must agree to 1e-4 K.
  ThermalState exact{21.0, 19.0}, euler = exact;
  exact = thermal_step(kHouse, exact, -5.0, 0.8, 0.25).end;
  const double dt = 0.0001;
  for (int i = 0; i < 2500; ++i) {
    const double di = ((-5.0 - euler.indoor_c) / kHouse.ria_k_per_kw +
                       (euler.mass_c - euler.indoor_c) / kHouse.rim_k_per_kw + 0.8) /
                      kHouse.ci_kwh_per_k;
    const double dm = (euler.indoor_c - euler.mass_c) / kHouse.rim_k_per_kw / kHouse.cm_kwh_per_k;
    euler.indoor_c += di * dt;
    euler.mass_c += dm * dt;
  }
  EXPECT_NEAR(exact.indoor_c, euler.indoor_c, 1e-4);
  EXPECT_NEAR(exact.mass_c, euler.mass_c, 1e-4);
}

TEST(ThermalModel, StepResponseTimeConstantOfOneNodeLimit) {
  // With a tiny mass the model is one RC node: after τ = Ria·Ci the response is 1 − 1/e of the step.
  const RcParams one_node{2.0, 1e-6, 5.0, 1e3};
  const double tau_h = one_node.ria_k_per_kw * one_node.ci_kwh_per_k;
  const ThermalStep step = thermal_step(one_node, {0.0, 0.0}, 0.0, 1.0, tau_h);
  EXPECT_NEAR(step.end.indoor_c / steady_indoor_c(one_node, 0.0, 1.0), 1.0 - std::exp(-1.0), 1e-3);
}

TEST(ThermalModel, StepResponseDecaysWithTheSlowEigenmode) {
  // After the fast mode has died out the free response decays with τ = −1/λ_slow of the system matrix, close to
  // Ria·(Ci + Cm) for a tightly coupled mass.
  const double a = -(1 / kHouse.ria_k_per_kw + 1 / kHouse.rim_k_per_kw) / kHouse.ci_kwh_per_k;
  const double b = 1 / (kHouse.rim_k_per_kw * kHouse.ci_kwh_per_k);
  const double c = 1 / (kHouse.rim_k_per_kw * kHouse.cm_kwh_per_k), d = -c;
  const double slow = (a + d) / 2 + std::sqrt((a - d) * (a - d) / 4 + b * c);
  const ThermalState start{20.0, 20.0};
  const double at100 = thermal_step(kHouse, start, 0.0, 0.0, 100.0).end.indoor_c;
  const double at200 = thermal_step(kHouse, start, 0.0, 0.0, 200.0).end.indoor_c;
  EXPECT_NEAR(100.0 / std::log(at100 / at200), -1.0 / slow, 1e-6);
  EXPECT_NEAR(-1.0 / slow, kHouse.ria_k_per_kw * (kHouse.ci_kwh_per_k + kHouse.cm_kwh_per_k), 2.0);
}

TEST(ThermalModel, HeatFlowsConserveEnergy) {
  const ThermalState start{21.0, 17.0};
  for (double hours : {0.25, 1.0, 10.0}) {
    const ThermalStep step = thermal_step(kHouse, start, -3.0, 2.5, hours);
    const double stored = kHouse.ci_kwh_per_k * (step.end.indoor_c - start.indoor_c) +
                          kHouse.cm_kwh_per_k * (step.end.mass_c - start.mass_c);
    EXPECT_NEAR(stored, step.heat_in_kwh - step.heat_to_outdoor_kwh, 1e-9) << hours << " h";
  }
}

TEST(ThermalModel, RejectsNonPositiveParameters) {
  EXPECT_THROW(validate(RcParams{0, 1, 1, 1}), std::invalid_argument);
  EXPECT_THROW(validate(RcParams{1, 1, -1, 1}), std::invalid_argument);
  EXPECT_NO_THROW(validate(kHouse));
}

TEST(House, SolarGainFollowsTheSunOnASouthWindow) {
  HouseOptions options;
  options.rc = kHouse;
  House house(options, nullptr);                     // clear sky
  const std::int64_t noon_june = 1'687'255'200'000;  // 2023-06-20T10:00Z ≈ solar noon in De Bilt + 1.5 h
  EXPECT_GT(house.solar_gain_kw(noon_june, 900'000), 0.3);
  EXPECT_EQ(house.solar_gain_kw(noon_june + 12 * 3'600'000, 900'000), 0.0);  // night
}

TEST(House, ThermostatHoldsTheSetpointWithinCapacity) {
  HouseOptions options;
  options.rc = kHouse;
  options.window_area_m2 = 0;
  options.initial_indoor_c = 15;
  House house(options, nullptr);
  const HvacRequest heat{HvacMode::heat, 21.0, 1.0};
  for (int i = 0; i < 200; ++i) house.step(i * 900'000LL, 900'000, 0.0, 0.2, heat);
  EXPECT_NEAR(house.state().indoor_c, 21.0, 1e-6);
  const HouseStep step = house.step(200 * 900'000LL, 900'000, 0.0, 0.2, heat);
  EXPECT_STREQ(step.hvac.action, "heating");
  // Steady: the unit replaces the loss (21 − 0)/Ria minus the internal gain.
  EXPECT_NEAR(step.hvac.thermal_kw, 21.0 / kHouse.ria_k_per_kw - 0.2, 1e-3);
  EXPECT_EQ(step.electric_mwh, energy_mwh(step.hvac.electric_kw * 1000.0, 900'000));
}
