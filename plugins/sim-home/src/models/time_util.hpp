// Time helpers for the simulated home: ISO 8601 parsing and a cached UTC-offset lookup for an IANA zone.
//
// Contract: parse_iso8601_ms accepts YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.fff]] with Z or ±HH[:MM] (a date or a
// time without offset is UTC) and returns Unix milliseconds, or throws std::invalid_argument naming the text.
// LocalClock is not thread-safe (it caches the current zone rule); each model owns its own.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace hepek::sim {

inline constexpr std::int64_t kMillisPerDay = 86'400'000;
inline constexpr std::int64_t kMillisPerWeek = 7 * kMillisPerDay;

std::int64_t parse_iso8601_ms(std::string_view text);
std::string format_iso8601_ms(std::int64_t unix_ms);

// Floor division for possibly negative times.
inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}
inline std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  return a - floor_div(a, b) * b;
}

// Day of the year (1..366) of a UTC time.
int day_of_year_utc(std::int64_t unix_ms);

class LocalClock {
 public:
  // "UTC", "" or an IANA name such as "Europe/Amsterdam"; throws std::invalid_argument for an unknown zone.
  explicit LocalClock(const std::string& zone_name);
  // Offset of local civil time from UTC at `unix_ms`, in ms.
  std::int64_t offset_ms(std::int64_t unix_ms);
  std::int64_t to_local_ms(std::int64_t unix_ms) { return unix_ms + offset_ms(unix_ms); }

 private:
  const date::time_zone* zone_ = nullptr;
  std::int64_t cached_begin_ms_ = 1;
  std::int64_t cached_end_ms_ = 0;
  std::int64_t cached_offset_ms_ = 0;
};

}  // namespace hepek::sim
