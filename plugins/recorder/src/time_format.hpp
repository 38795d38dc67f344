// ISO 8601 <-> Unix milliseconds for state timestamps, query ranges and exported rows.
//
// Parsing accepts what devices and people write: "2024-01-01T00:00:00Z", fractional seconds, a numeric offset
// ("+01:00", "+0100"), a space instead of "T", and a bare date ("2024-01-01", midnight UTC). Formatting is
// always UTC with a "Z", with milliseconds only when they are not zero. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hepek::recorder {

std::optional<int64_t> parse_iso8601_ms(std::string_view text);
std::string format_iso8601_ms(int64_t unix_ms);

}  // namespace hepek::recorder
