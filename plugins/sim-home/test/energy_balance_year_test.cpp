// A simulated year of the whole home at 15-minute steps with seeded synthetic data, random battery setpoints
// and relay-off periods: the energy balance must hold exactly at every step and over the year, the battery's
// own accounting must close exactly, and a second run must give identical totals.
#include <gtest/gtest.h>

#include "home_model.hpp"
#include "seeded_random.hpp"
#include "time_util.hpp"

using namespace hepek::sim;

namespace {
constexpr std::int64_t kStep = 900'000;

struct YearResult {
  GridTotals totals;
  MilliWattHours battery_end = 0;
  MilliWattHours import_while_off = 0;
  std::int64_t setpoint_steps = 0;
};

YearResult run_year(std::uint64_t seed) {
  HomeModelOptions options;
  options.seed = seed;
  options.pv.kwp = 6;
  HomeModel home(options);
  SeededRandom planner(seed, 99);  // a crude "planner": random setpoints with random expiry
  const std::int64_t start = parse_iso8601_ms("2023-01-01T00:00:00Z");
  const MilliWattHours battery_start = home.battery().stored();
  MilliWattHours charge = 0, discharge = 0, losses = 0;
  YearResult result;
  for (std::int64_t t = start; t < start + 365 * kMillisPerDay; t += kStep) {
    if (planner.uniform() < 0.02)
      home.battery().set_setpoint(planner.uniform() * 8000 - 4000, t, 900 + planner.uniform() * 7200);
    // Relay off for one hour each Sunday at noon UTC.
    const std::int64_t in_week = floor_mod(t + 3 * kMillisPerDay, kMillisPerWeek);  // 0 = Monday 00:00
    const bool relay_on = !(in_week >= 6 * kMillisPerDay + 12 * kMillisPerHour &&
                            in_week < 6 * kMillisPerDay + 13 * kMillisPerHour);
    const HomeStep step = home.step(t, kStep, relay_on);
    const MilliWattHours supplied = step.pv - step.grid.pv_spilled + step.battery.discharge +
                                    step.grid.import - step.battery.charge - step.grid.export_ +
                                    step.grid.unserved;
    EXPECT_EQ(step.load, supplied) << "at " << format_iso8601_ms(t);
    EXPECT_FALSE(step.battery.charge > 0 && step.battery.discharge > 0);
    if (!relay_on) result.import_while_off += step.grid.import + step.grid.export_;
    result.setpoint_steps += step.battery.followed_setpoint;
    charge += step.battery.charge;
    discharge += step.battery.discharge;
    losses += step.battery.conversion_loss + step.battery.self_discharge;
  }
  result.totals = home.meter().totals();
  result.battery_end = home.battery().stored();
  EXPECT_EQ(battery_start + charge - discharge - losses, result.battery_end);
  return result;
}
}  // namespace

TEST(EnergyBalanceYear, ExactEveryStepAndOverTheYear) {
  const YearResult year = run_year(2024);
  EXPECT_EQ(year.totals.steps, 365 * 96);
  EXPECT_EQ(year.totals.balance_error(), 0);
  EXPECT_EQ(year.import_while_off, 0);
  EXPECT_GT(year.totals.unserved + year.totals.pv_spilled, 0);  // the relay-off hours did bite
  EXPECT_GT(year.setpoint_steps, 100);
  // Plausible magnitudes for a 3.5 MWh home with 6 kWp and 10 kWh of storage.
  EXPECT_GT(year.totals.load, 3'000'000'000);
  EXPECT_GT(year.totals.pv, 4'000'000'000);
  EXPECT_GT(year.totals.battery_charge, 500'000'000);
}

TEST(EnergyBalanceYear, SameSeedSameYear) {
  const YearResult a = run_year(7), b = run_year(7);
  EXPECT_EQ(a.totals.import, b.totals.import);
  EXPECT_EQ(a.totals.export_, b.totals.export_);
  EXPECT_EQ(a.totals.cost_picoeur, b.totals.cost_picoeur);
  EXPECT_EQ(a.battery_end, b.battery_end);
  const YearResult c = run_year(8);
  EXPECT_NE(a.totals.import, c.totals.import);
}
