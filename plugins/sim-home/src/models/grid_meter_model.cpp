#include "grid_meter_model.hpp"

namespace hepek::sim {

GridStepResult GridMeter::step(const GridStepInput& input) {
  GridStepResult result;
  const MilliWattHours net = input.load + input.battery_charge - input.pv - input.battery_discharge;
  if (input.relay_on) {
    if (net > 0)
      result.import = net;
    else
      result.export_ = -net;
  } else {
    if (net > 0)
      result.unserved = net;
    else
      result.pv_spilled = -net;
  }
  totals_.load += input.load;
  totals_.pv += input.pv;
  totals_.battery_charge += input.battery_charge;
  totals_.battery_discharge += input.battery_discharge;
  totals_.import += result.import;
  totals_.export_ += result.export_;
  totals_.unserved += result.unserved;
  totals_.pv_spilled += result.pv_spilled;
  totals_.cost_picoeur += result.import * input.import_price_micro_eur_per_kwh -
                          result.export_ * input.export_price_micro_eur_per_kwh;
  ++totals_.steps;
  return result;
}

std::int64_t cents_of_picoeur(std::int64_t picoeur) {
  constexpr std::int64_t kPicoPerCent = 10'000'000'000;  // 1e-2 / 1e-12
  return picoeur >= 0 ? (picoeur + kPicoPerCent / 2) / kPicoPerCent
                      : -((-picoeur + kPicoPerCent / 2) / kPicoPerCent);
}

}  // namespace hepek::sim
