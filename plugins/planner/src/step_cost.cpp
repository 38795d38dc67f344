#include "step_cost.hpp"

#include <algorithm>
#include <cmath>

namespace hepek::planner {

StepOutcome step_outcome(const StepInputs& in, const GridLimits& grid, const BatteryModel& battery,
                         double battery_w, double hours) {
  const double to_mwh = hours / 1e6;
  const double uncurtailed = in.load_w - in.pv_w - battery_w;
  const double curtail_room = grid.allow_curtailment ? in.pv_w : 0.0;
  // Grid power can be anywhere in [uncurtailed, uncurtailed + curtail_room]; the limits want it in
  // [-export_max, import_max]. Pick the cheapest point of the overlap (or the nearest point when there is none).
  const double low = std::max(uncurtailed, -grid.export_max_w);
  const double high = std::min(uncurtailed + curtail_room, grid.import_max_w);
  auto energy_cost = [&](double grid_w) {
    return grid_w >= 0 ? grid_w * in.import_eur_per_mwh * to_mwh : grid_w * in.export_eur_per_mwh * to_mwh;
  };
  StepOutcome out;
  double chosen;
  if (low <= high) {
    chosen = low;
    double best = energy_cost(low);
    for (double candidate : {high, std::clamp(0.0, low, high)}) {
      const double cost = energy_cost(candidate);
      if (cost < best - 1e-12) {
        best = cost;
        chosen = candidate;
      }
    }
  } else {
    // Infeasible: import above the limit even with no curtailment, or export above it even fully curtailed.
    chosen = uncurtailed > grid.import_max_w ? uncurtailed : uncurtailed + curtail_room;
    const double excess =
        chosen > grid.import_max_w ? chosen - grid.import_max_w : -grid.export_max_w - chosen;
    out.violation_eur = std::max(0.0, excess) * hours * kViolationEurPerWh;
  }
  out.grid_w = chosen;
  out.curtailed_w = chosen - uncurtailed;
  out.energy_cost_eur = energy_cost(chosen);
  out.wear_eur = std::fabs(battery_w) * battery.wear_eur_per_mwh * to_mwh;
  return out;
}

}  // namespace hepek::planner
