// ISO 8601 time stamps: the one parser and formatter of the hub and its plugins.
//
// Parsing accepts "YYYY-MM-DDThh:mm[:ss[.fff...]]" followed by "Z" or a UTC offset "±hh", "±hhmm" or "±hh:mm"
// (a space may replace the T; fractions finer than a millisecond are truncated). A date-time without an
// offset is refused: local times are ambiguous on DST days. A plain date "YYYY-MM-DD" is accepted only where
// the caller's Iso8601Rules allow it, as midnight in the rules' zone (UTC when none; a zone offset with seconds,
// local mean time before standard time, counts in whole minutes). The instant must lie in the years 0000..9999 in
// UTC as well, so that every parsed time has a UTC text form. Calendar arithmetic and
// zones are Howard Hinnant's date/tz; the grammar is read by a cursor so that an error names the text and the
// position where it is wrong (Iso8601Error, a std::invalid_argument), quoting at most 64 bytes of the text.
//
// Formatting: with a UTC offset ("2023-10-29T02:00:00+02:00", whole seconds), in an IANA zone (the zone's
// offset at that instant), or UTC with "Z" (milliseconds always, or only when not zero).
// Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace hepek::timeseries {

struct Instant {
  std::int64_t unix_s = 0;  // whole seconds (floor)
  int millis = 0;           // 0..999 after unix_s
  int offset_minutes = 0;   // the UTC offset written in the text (a date: the zone's offset at its midnight)
  bool date_only = false;   // the text was a plain date

  std::int64_t unix_ms() const { return unix_s * 1000 + millis; }
};

struct Iso8601Rules {
  bool allow_date = false;                // accept a plain "YYYY-MM-DD"
  const date::time_zone* zone = nullptr;  // where a plain date's midnight is; nullptr = UTC
};
// The rules of inputs people write by hand (config values, CLI options, query ranges): a date is UTC
// midnight.
inline constexpr Iso8601Rules kDateOrDateTime{true, nullptr};

class Iso8601Error : public std::invalid_argument {
 public:
  Iso8601Error(std::string_view text, std::size_t position, const std::string& problem);
  std::size_t position() const { return position_; }  // 0-based index into the text

 private:
  std::size_t position_;
};

// Throws Iso8601Error, e.g. `ISO 8601 time "2023-02-30T00:00:00Z": no such date at character 1`.
Instant parse_iso8601_or_throw(std::string_view text, const Iso8601Rules& rules = {});
// The same without throwing: nullopt, and the error message in *error when given.
std::optional<Instant> parse_iso8601(std::string_view text, const Iso8601Rules& rules = {},
                                     std::string* error = nullptr);

// "2023-08-01T00:00:00+02:00": a Unix time in seconds shown at a UTC offset.
std::string format_iso8601(std::int64_t unix_s, int offset_minutes);
// The same at the zone's offset at that instant (whole seconds).
std::string format_iso8601_in_zone(std::int64_t unix_ms, const date::time_zone& zone);

enum class Milliseconds { when_nonzero, always };
// "2024-01-01T00:15:00.007Z" / "2024-01-01T00:15:00Z" (when_nonzero), "...00.000Z" (always: the bus form of
// hepek::iso8601_utc).
std::string format_iso8601_ms(std::int64_t unix_ms, Milliseconds millis = Milliseconds::when_nonzero);

}  // namespace hepek::timeseries
