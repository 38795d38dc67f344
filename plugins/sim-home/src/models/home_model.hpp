// The whole simulated home in one process, without the bus: synthetic load, PV, battery and grid meter
// stepped in the same order as the plugins (load and PV sense, battery acts on them, the meter nets). Used by
// the year-long balance test and the benchmark; the plugins compose the same models across the bus.
//
// Contract: step(start, duration, relay_on) advances every model by one interval and returns its energies;
// deterministic for given options. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "battery_model.hpp"
#include "grid_meter_model.hpp"
#include "pv_model.hpp"
#include "synthetic_load.hpp"

namespace hepek::sim {

struct HomeModelOptions {
  SyntheticLoadOptions load;
  PvArray pv;
  double mean_cloudiness = 0.65;
  std::uint64_t seed = 1;
  BatteryOptions battery;
  std::int64_t import_price_micro_eur_per_kwh = 300'000;
  std::int64_t export_price_micro_eur_per_kwh = 80'000;
};

struct HomeStep {
  MilliWattHours load = 0, pv = 0;
  BatteryStepResult battery;
  GridStepResult grid;
};

class HomeModel {
 public:
  explicit HomeModel(HomeModelOptions options);
  Battery& battery() { return battery_; }
  const GridMeter& meter() const { return meter_; }
  HomeStep step(std::int64_t start_ms, std::int64_t duration_ms, bool relay_on = true);

 private:
  HomeModelOptions options_;
  SyntheticLoad load_;
  PvSource pv_;
  Battery battery_;
  GridMeter meter_;
};

}  // namespace hepek::sim
