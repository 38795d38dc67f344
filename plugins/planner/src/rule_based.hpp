// The self-consumption rule: charge from surplus PV, discharge to cover load, within power and SoC limits.
// It is the baseline of the backtest and the planner's fallback when its inputs cannot be trusted. Pure.
#pragma once

#include <algorithm>

#include "planning_problem.hpp"

namespace hepek::planner {

// Battery power (+ discharge) for the step, given the net load (load − PV) and the stored energy.
inline double self_consumption_power(const BatteryModel& battery, double net_load_w, double soc_wh,
                                     double hours) {
  if (net_load_w >= 0) {
    const double available_w =
        std::max(0.0, soc_wh - battery.soc_min_wh) * battery.discharge_efficiency / hours;
    return std::min({net_load_w, battery.discharge_max_w, available_w});
  }
  const double room_w = std::max(0.0, battery.soc_max_wh - soc_wh) / (battery.charge_efficiency * hours);
  return -std::min({-net_load_w, battery.charge_max_w, room_w});
}

}  // namespace hepek::planner
