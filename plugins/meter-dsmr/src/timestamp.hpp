// DSMR timestamps: YYMMDDhhmmssX with X = 'S' (summer, CEST, +02:00) or 'W' (winter, CET, +01:00). Dutch
// DSMR, Belgian e-MUCS (Fluvius) and Luxembourg (Smarty) meters all run on Central European time, so the flag
// fixes the offset. DSMR 2.2/3 profile timestamps have no flag (YYMMDDhhmmss): local time without an offset.
// Pure functions, no shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hepek::dsmr {

struct Timestamp {
  int year = 0;  // full year: YY + 2000
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::optional<int> utc_offset_minutes;  // +120 (S), +60 (W), nullopt without a flag

  // "2016-11-13T20:57:57+01:00", or "2009-02-12T16:00:00" without an offset.
  std::string iso8601() const;
  // Seconds since the Unix epoch; nullopt without an offset.
  std::optional<int64_t> unix_seconds() const;
  // The same wall-clock reading `minutes` later (the offset is kept: profile periods never cross a DST flag
  // here).
  Timestamp plus_minutes(int64_t minutes) const;
};

// True when `text` has the shape of a DSMR timestamp (12 digits, optionally followed by S or W).
bool looks_like_timestamp(std::string_view text);

// Parses and validates (a real calendar date, hour < 24, ...); nullopt with `reason` otherwise.
std::optional<Timestamp> parse_timestamp(std::string_view text, std::string* reason = nullptr);

}  // namespace hepek::dsmr
