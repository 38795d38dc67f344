// Time helpers for the simulated home, over lib/timeseries (the one ISO 8601 parser and zone clock):
// millisecond day arithmetic, and ISO 8601 as sim-home's config and data write it.
//
// Contract: parse_iso8601_ms accepts a date (UTC midnight) or a date-time with Z or a UTC offset and returns
// Unix milliseconds, or throws std::invalid_argument (timeseries::Iso8601Error) naming the text and position.
// LocalClock (timeseries::ZoneClock) is not thread-safe; each model owns its own. The rest is pure.
#pragma once

#include <cstdint>
#include <string_view>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/zone_clock.hpp>

namespace hepek::sim {

inline constexpr std::int64_t kMillisPerDay = 86'400'000;
inline constexpr std::int64_t kMillisPerWeek = 7 * kMillisPerDay;

inline std::int64_t parse_iso8601_ms(std::string_view text) {
  return timeseries::parse_iso8601_or_throw(text, timeseries::kDateOrDateTime).unix_ms();
}
using timeseries::format_iso8601_ms;
using LocalClock = timeseries::ZoneClock;

// Floor division for possibly negative times.
inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}
inline std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  return a - floor_div(a, b) * b;
}

// Day of the year (1..366) of a UTC time.
int day_of_year_utc(std::int64_t unix_ms);

}  // namespace hepek::sim
