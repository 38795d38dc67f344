// libFuzzer target: the one ISO 8601 parser (iso8601.hpp), under the rules callers use: a date-time with Z or an
// offset (bus payloads, CSV rows), a date or a date-time (config values, CLI options, query ranges), and a
// date's midnight in an IANA zone (Europe/Amsterdam, with DST).
// Invariants besides ASan/UBSan: parse_iso8601() never throws and parse_iso8601_or_throw() throws only
// Iso8601Error, whose position lies within the text and whose message quotes at most a short prefix of it; what
// parses prints (format_iso8601, format_iso8601_ms) as text that parses back to the same instant and offset.
#include <cstddef>
#include <cstdint>
#include <string>

#include <date/tz.h>

#include "hepek/testing/fuzz_check.hpp"
#include "hepek/timeseries/iso8601.hpp"
#include "hepek/timeseries/zone_clock.hpp"

namespace ht = hepek::timeseries;

namespace {

void check(std::string_view text, const ht::Iso8601Rules& rules) {
  std::optional<ht::Instant> instant;
  try {
    instant = ht::parse_iso8601_or_throw(text, rules);
  } catch (const ht::Iso8601Error& error) {
    HEPEK_FUZZ_CHECK(error.position() <= text.size(), "the error position lies within the text");
    HEPEK_FUZZ_CHECK(std::string_view(error.what()).size() <= 400, "the error quotes a short prefix");
    HEPEK_FUZZ_CHECK(!ht::parse_iso8601(text, rules), "both parsers agree");
    return;
  }
  HEPEK_FUZZ_CHECK(instant->millis >= 0 && instant->millis <= 999, "milliseconds are 0..999");
  const auto again = ht::parse_iso8601(ht::format_iso8601(instant->unix_s, instant->offset_minutes));
  HEPEK_FUZZ_CHECK(
      again && again->unix_s == instant->unix_s && again->offset_minutes == instant->offset_minutes,
      "format_iso8601 parses back to the same instant and offset");
  const auto utc = ht::parse_iso8601(ht::format_iso8601_ms(instant->unix_ms(), ht::Milliseconds::always));
  HEPEK_FUZZ_CHECK(utc && utc->unix_ms() == instant->unix_ms(), "format_iso8601_ms parses back the same");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const date::time_zone* const zone = &ht::find_zone("Europe/Amsterdam");
  check(text, {});
  check(text, ht::kDateOrDateTime);
  check(text, ht::Iso8601Rules{true, zone});
  return 0;
}
