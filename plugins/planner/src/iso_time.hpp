// ISO 8601 instants with a UTC offset, as used by the canonical CSV forms (shared/data/README.md).
//
// Contract: parse_iso8601 accepts "YYYY-MM-DDThh:mm[:ss[.fff]](Z|+hh:mm|-hh:mm)" (a space may replace the T)
// and returns Unix seconds plus the written offset; anything else returns nullopt. Pure functions,
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hepek::planner {

struct Instant {
  int64_t unix_s = 0;
  int offset_minutes = 0;  // the UTC offset written in the text
};

std::optional<Instant> parse_iso8601(std::string_view text);

// Midnight of a calendar date "YYYY-MM-DD" at a given UTC offset, in Unix seconds.
std::optional<int64_t> parse_date_at_offset(std::string_view text, int offset_minutes);

// "2023-08-01T00:00:00+02:00" for a Unix time shown at an offset.
std::string format_iso8601(int64_t unix_s, int offset_minutes);

// Days since 1970-01-01 of the local calendar date of `unix_s` at `offset_minutes`, and local seconds of day.
int64_t local_day(int64_t unix_s, int offset_minutes);
int local_second_of_day(int64_t unix_s, int offset_minutes);
// 0 = Monday ... 6 = Sunday.
int local_weekday(int64_t unix_s, int offset_minutes);
// 1..12
int local_month(int64_t unix_s, int offset_minutes);

}  // namespace hepek::planner
