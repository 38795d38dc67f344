// A power time series: the average power a source delivers over any interval.
//
// Contract: energy_mwh(start, duration) is the energy over [start, start + duration) in integer mWh; it is a
// pure function of its arguments (so any step size or order gives consistent results) and throws
// std::out_of_range with a message naming the source and the time when the series has no data there.
// Implementations may cache and are not thread-safe.
#pragma once

#include <cstdint>

#include "energy.hpp"

namespace hepek::sim {

class PowerSeries {
 public:
  virtual ~PowerSeries() = default;
  virtual MilliWattHours energy_mwh(std::int64_t start_ms, std::int64_t duration_ms) = 0;
  // Instantaneous value: the power of the piece of the series that contains `unix_ms`.
  virtual double power_w_at(std::int64_t unix_ms) = 0;
  double average_power_w(std::int64_t start_ms, std::int64_t duration_ms) {
    return hepek::sim::average_power_w(energy_mwh(start_ms, duration_ms), duration_ms);
  }
};

}  // namespace hepek::sim
