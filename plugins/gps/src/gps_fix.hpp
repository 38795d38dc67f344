// One gpsd position report (a TPV, with the satellites and DOP of the latest SKY) as the `location`
// interface's state: what libgps filled into a gps_data_t, checked and mapped to the canonical fields.
//
// Contract: pure, thread-safe. Nothing gpsd sends can make it throw: a NaN, infinite or out-of-range value
// is left out (null), a 2D/3D fix without a usable latitude/longitude becomes mode "none" with `problem`
// saying why, and a time outside 1970..9999 is no time (also a problem).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <gps.h>
#include <nlohmann/json.hpp>

namespace hepek::gps {

struct Fix {
  std::string mode = "none";                  // "none", "2d", "3d"
  std::optional<double> latitude, longitude;  // degrees, only with a 2D/3D fix
  std::optional<double> altitude;             // m above mean sea level, only with a 3D fix
  std::optional<int> satellites_used;         // from the latest SKY
  std::optional<double> hdop;                 // from the latest SKY
  std::optional<double> eph;                  // m, horizontal error estimate
  std::optional<int64_t> time_ms;             // GPS time, Unix ms (rounded to the millisecond)
  std::string problem;                        // why a value gpsd sent was not used; empty when none
};

// `sky_seen`: a SKY report has arrived on this connection, so satellites_used and the DOP are gpsd's (before
// one they are libgps's initial zeros and are left out).
Fix fix_of(const gps_data_t& data, bool sky_seen);

// The state published on hepek/<device>/state: every canonical field of `location` (null when unknown),
// time_offset_s = GPS time - the hub clock (`now_ms`), and the running error count.
nlohmann::json location_state(const Fix& fix, int64_t now_ms, uint64_t errors);

// The state when gpsd has sent no report for the stale time: no fix, `stale` true.
nlohmann::json stale_state(uint64_t errors);

}  // namespace hepek::gps
