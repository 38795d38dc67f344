// Integer energy accounting for the simulated home.
//
// Contract: every energy quantity that takes part in a balance is an integer number of milliwatt-hours, so
// sums and differences are exact and a balance either holds to the last mWh or the test fails. Power (W) is a
// double only at the edges (model output, published state). Pure functions, no state.
#pragma once

#include <cmath>
#include <cstdint>

namespace hepek::sim {

using MilliWattHours = std::int64_t;

inline constexpr std::int64_t kMillisPerHour = 3'600'000;

// Energy of `power_w` held for `duration_ms`, rounded to the nearest mWh. (1 mWh = 3600 W·ms.)
inline MilliWattHours energy_mwh(double power_w, std::int64_t duration_ms) {
  return std::llround(power_w * static_cast<double>(duration_ms) / 3600.0);
}

// Average power of `energy` over `duration_ms` (0 for an empty interval).
inline double average_power_w(MilliWattHours energy, std::int64_t duration_ms) {
  return duration_ms > 0 ? static_cast<double>(energy) * 3600.0 / static_cast<double>(duration_ms) : 0.0;
}

// Whole watt-hours of a mWh counter, rounded half away from zero (for published counters and summaries).
inline double watt_hours(MilliWattHours energy) {
  return std::round(static_cast<double>(energy) / 1000.0);
}

// kWh with 3 decimals from an integer mWh counter; the rounding goes through integers so output is
// byte-stable.
inline double kilowatt_hours_3dp(MilliWattHours energy) {
  const std::int64_t wh = (energy >= 0 ? energy + 500 : energy - 500) / 1000;
  return static_cast<double>(wh) / 1000.0;
}

}  // namespace hepek::sim
