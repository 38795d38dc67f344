#include "gps_fix.hpp"

#include <cmath>

#include <hepek/time.hpp>

namespace hepek::gps {
namespace {

constexpr int64_t kLatestUnixSecond = 253402300799;  // 9999-12-31T23:59:59Z

std::optional<double> finite_within(double value, double low, double high) {
  if (!std::isfinite(value) || value < low || value > high) return std::nullopt;
  return value;
}

nlohmann::json or_null(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

Fix fix_of(const gps_data_t& data, bool sky_seen) {
  Fix fix;
  const gps_fix_t& tpv = data.fix;
  if (tpv.mode == MODE_2D || tpv.mode == MODE_3D) {
    fix.latitude = finite_within(tpv.latitude, -90, 90);
    fix.longitude = finite_within(tpv.longitude, -180, 180);
    if (fix.latitude && fix.longitude) {
      fix.mode = tpv.mode == MODE_3D ? "3d" : "2d";
      // Far below the Dead Sea or above low orbit is not a receiver's altitude.
      if (tpv.mode == MODE_3D) fix.altitude = finite_within(tpv.altMSL, -1e4, 1e6);
    } else {
      fix.problem = "a " + std::string(tpv.mode == MODE_3D ? "3D" : "2D") +
                    " fix without a valid latitude/longitude (" + std::to_string(tpv.latitude) + ", " +
                    std::to_string(tpv.longitude) + ")";
      fix.latitude.reset();
      fix.longitude.reset();
    }
  }
  fix.eph = finite_within(tpv.eph, 0, 1e7);
  if (sky_seen) {
    if (data.satellites_used >= 0 && data.satellites_used <= 1000) fix.satellites_used = data.satellites_used;
    fix.hdop = finite_within(data.dop.hdop, 0, 1e4);
  }
  const int64_t seconds = static_cast<int64_t>(tpv.time.tv_sec);
  const int64_t nanos = static_cast<int64_t>(tpv.time.tv_nsec);
  if (seconds != 0 || nanos != 0) {  // 0 = the TPV had no time
    if (seconds > 0 && seconds <= kLatestUnixSecond && nanos >= 0 && nanos < 1'000'000'000)
      fix.time_ms = seconds * 1000 + (nanos + 500'000) / 1'000'000;
    else if (fix.problem.empty())
      fix.problem = "a time outside 1970..9999 (" + std::to_string(seconds) + " s)";
  }
  return fix;
}

nlohmann::json location_state(const Fix& fix, int64_t now_ms, uint64_t errors) {
  nlohmann::json state = {{"mode", fix.mode},
                          {"latitude", or_null(fix.latitude)},
                          {"longitude", or_null(fix.longitude)},
                          {"altitude", or_null(fix.altitude)},
                          {"satellites_used", fix.satellites_used ? nlohmann::json(*fix.satellites_used)
                                                                  : nlohmann::json(nullptr)},
                          {"hdop", or_null(fix.hdop)},
                          {"eph", or_null(fix.eph)},
                          {"gps_time", nullptr},
                          {"time_offset_s", nullptr},
                          {"errors", errors},
                          {"stale", false}};
  if (fix.time_ms) {
    state["gps_time"] = iso8601_utc(*fix.time_ms);
    state["time_offset_s"] = static_cast<double>(*fix.time_ms - now_ms) / 1000.0;
  }
  return state;
}

nlohmann::json stale_state(uint64_t errors) {
  nlohmann::json state = location_state(Fix{}, 0, errors);
  state["stale"] = true;
  return state;
}

}  // namespace hepek::gps
