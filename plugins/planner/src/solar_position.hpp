// Sun position and clear-sky irradiance (NOAA's low-precision solar equations; Haurwitz clear-sky model).
//
// Contract: pure functions of a Unix time (UTC) and a location in degrees (north, east positive). Accurate to a
// fraction of a degree, which is plenty for scaling PV forecasts. Thread-safe.
#pragma once

#include <cstdint>

namespace hepek::planner {

// Solar elevation above the horizon in degrees (negative at night).
double solar_elevation_deg(int64_t unix_s, double latitude_deg, double longitude_deg);

// Clear-sky global horizontal irradiance in W/m², 0 at night.
double clear_sky_ghi(int64_t unix_s, double latitude_deg, double longitude_deg);

// Mean clear-sky GHI over [start, start + duration) (sampled every 5 minutes).
double mean_clear_sky_ghi(int64_t start_s, int64_t duration_s, double latitude_deg, double longitude_deg);

}  // namespace hepek::planner
