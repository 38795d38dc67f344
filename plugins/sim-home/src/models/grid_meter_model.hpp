// The grid connection point: nets load, PV and battery for each step and keeps cumulative counters and cost.
//
// Contract: per step, net = load + battery_charge − pv − battery_discharge (integer mWh). Connected: net > 0
// is import, net < 0 is export. Islanded (relay off): nothing crosses the meter; net > 0 is unserved load and
// net < 0 is PV the inverter must curtail ("pv_spilled"). So every step, exactly:
//   load = pv − pv_spilled + discharge + import − charge − export + unserved.
// Cost is accumulated in integer units of 1e-12 EUR (mWh × µEUR/kWh), so it is exact and order-independent.
// Not thread-safe.
#pragma once

#include <cstdint>

#include "energy.hpp"

namespace hepek::sim {

struct GridStepInput {
  MilliWattHours load = 0;
  MilliWattHours pv = 0;
  MilliWattHours battery_charge = 0;
  MilliWattHours battery_discharge = 0;
  bool relay_on = true;
  std::int64_t import_price_micro_eur_per_kwh = 0;
  std::int64_t export_price_micro_eur_per_kwh = 0;
};

struct GridStepResult {
  MilliWattHours import = 0;
  MilliWattHours export_ = 0;
  MilliWattHours unserved = 0;
  MilliWattHours pv_spilled = 0;
};

struct GridTotals {
  MilliWattHours load = 0, pv = 0, battery_charge = 0, battery_discharge = 0;
  MilliWattHours import = 0, export_ = 0, unserved = 0, pv_spilled = 0;
  std::int64_t cost_picoeur = 0;  // import cost − export revenue, in 1e-12 EUR
  std::int64_t steps = 0;
  // load − (pv − spilled + discharge + import − charge − export + unserved); always 0 unless the model is
  // broken.
  MilliWattHours balance_error() const {
    return load - (pv - pv_spilled + battery_discharge + import - battery_charge - export_ + unserved);
  }
};

class GridMeter {
 public:
  GridStepResult step(const GridStepInput& input);
  const GridTotals& totals() const { return totals_; }

 private:
  GridTotals totals_;
};

// Whole euro cents of a pico-euro amount, rounded half away from zero.
std::int64_t cents_of_picoeur(std::int64_t picoeur);

}  // namespace hepek::sim
