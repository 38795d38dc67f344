#include <gtest/gtest.h>

#include "grid_meter_model.hpp"

using namespace hepek::sim;

TEST(GridMeter, NetsImportAndExport) {
  GridMeter meter;
  GridStepInput input;
  input.load = 1'000'000;
  input.pv = 300'000;
  input.battery_discharge = 200'000;
  input.import_price_micro_eur_per_kwh = 300'000;  // 0.30 EUR/kWh
  input.export_price_micro_eur_per_kwh = 80'000;
  EXPECT_EQ(meter.step(input).import, 500'000);
  input = {};
  input.load = 100'000;
  input.pv = 2'000'000;
  input.battery_charge = 400'000;
  input.export_price_micro_eur_per_kwh = 80'000;
  EXPECT_EQ(meter.step(input).export_, 1'500'000);
  const GridTotals& totals = meter.totals();
  EXPECT_EQ(totals.import, 500'000);
  EXPECT_EQ(totals.export_, 1'500'000);
  EXPECT_EQ(totals.balance_error(), 0);
  // 0.5 kWh × 0.30 − 1.5 kWh × 0.08 = 0.15 − 0.12 = 0.03 EUR.
  EXPECT_EQ(cents_of_picoeur(totals.cost_picoeur), 3);
}

TEST(GridMeter, RelayOffMeansNothingCrossesTheMeter) {
  GridMeter meter;
  GridStepInput short_of_energy;
  short_of_energy.load = 1'000'000;
  short_of_energy.pv = 100'000;
  short_of_energy.relay_on = false;
  const GridStepResult dark = meter.step(short_of_energy);
  EXPECT_EQ(dark.import, 0);
  EXPECT_EQ(dark.unserved, 900'000);
  GridStepInput surplus;
  surplus.load = 100'000;
  surplus.pv = 1'000'000;
  surplus.relay_on = false;
  const GridStepResult spilled = meter.step(surplus);
  EXPECT_EQ(spilled.export_, 0);
  EXPECT_EQ(spilled.pv_spilled, 900'000);
  EXPECT_EQ(meter.totals().balance_error(), 0);
}

TEST(GridMeter, CentsRoundHalfAwayFromZero) {
  EXPECT_EQ(cents_of_picoeur(5'000'000'000), 1);
  EXPECT_EQ(cents_of_picoeur(4'999'999'999), 0);
  EXPECT_EQ(cents_of_picoeur(-5'000'000'000), -1);
}
