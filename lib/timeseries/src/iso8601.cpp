#include "hepek/timeseries/iso8601.hpp"

#include <cctype>
#include <chrono>

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include "hepek/quote.hpp"

namespace hepek::timeseries {
namespace {

using std::chrono::milliseconds;

constexpr std::int64_t kFirstUnixS = -62167219200;  // 0000-01-01T00:00:00Z
constexpr std::int64_t kEndUnixS = 253402300800;    // 10000-01-01T00:00:00Z

// Reads the grammar left to right; fail() names the text and the 1-based character where it went wrong.
struct Cursor {
  std::string_view text;
  std::size_t pos = 0;

  [[noreturn]] void fail(const std::string& problem, std::size_t at) const {
    throw Iso8601Error(text, at, problem);
  }
  [[noreturn]] void fail(const std::string& problem) const { fail(problem, pos); }
  bool at_end() const { return pos >= text.size(); }
  char peek() const { return at_end() ? '\0' : text[pos]; }
  bool digit() const { return std::isdigit(static_cast<unsigned char>(peek())) != 0; }
  int digits(int count, const char* what) {
    int value = 0;
    for (int i = 0; i < count; ++i, ++pos) {
      if (!digit()) fail(std::string("expected ") + what);
      value = value * 10 + (text[pos] - '0');
    }
    return value;
  }
  void expect(char c) {
    if (peek() != c) fail(fmt::format("expected '{}'", c));
    ++pos;
  }
};

}  // namespace

Iso8601Error::Iso8601Error(std::string_view text, std::size_t position, const std::string& problem)
    : std::invalid_argument(fmt::format("ISO 8601 time \"{}\": {} at character {}", quote_prefix(text, 64),
                                        problem, position + 1)),
      position_(position) {}

Instant parse_iso8601_or_throw(std::string_view text, const Iso8601Rules& rules) {
  Cursor c{text};
  const int year = c.digits(4, "a 4-digit year");
  c.expect('-');
  const int month = c.digits(2, "a 2-digit month");
  c.expect('-');
  const int day = c.digits(2, "a 2-digit day");
  const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                 date::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) c.fail("no such date", 0);
  const date::sys_days days{ymd};

  if (c.at_end()) {
    if (!rules.allow_date)
      c.fail("expected 'T' and a time of day with Z or a UTC offset (a date alone is not accepted here)");
    Instant instant;
    instant.date_only = true;
    if (rules.zone == nullptr) {
      instant.unix_s = std::chrono::duration_cast<std::chrono::seconds>(days.time_since_epoch()).count();
      return instant;
    }
    // Midnight in the zone; where a DST change skips midnight, the first instant of the day. An offset with
    // seconds (local mean time, e.g. Amsterdam's +00:19:32 before 1937) counts in whole minutes, so that unix_s
    // and offset_minutes still say midnight.
    const date::zoned_seconds midnight{rules.zone, date::local_days{ymd}, date::choose::earliest};
    const std::int64_t offset_s = midnight.get_info().offset.count();
    instant.offset_minutes = static_cast<int>(offset_s / 60);
    instant.unix_s = midnight.get_sys_time().time_since_epoch().count() + offset_s % 60;
    if (instant.unix_s < kFirstUnixS) c.fail("before 0000-01-01T00:00:00Z", 0);
    return instant;
  }

  if (c.peek() != 'T' && c.peek() != 't' && c.peek() != ' ') c.fail("expected 'T' between date and time");
  ++c.pos;
  const std::size_t time_at = c.pos;
  const int hour = c.digits(2, "a 2-digit hour");
  c.expect(':');
  const int minute = c.digits(2, "2-digit minutes");
  int second = 0, millis = 0;
  if (c.peek() == ':') {
    ++c.pos;
    second = c.digits(2, "2-digit seconds");
    if (c.peek() == '.' || c.peek() == ',') {
      ++c.pos;
      if (!c.digit()) c.fail("expected digits of a fraction of a second");
      for (int scale = 100; c.digit(); scale /= 10, ++c.pos) millis += (c.text[c.pos] - '0') * scale;
    }
  }
  if (hour > 23 || minute > 59 || second > 59) c.fail("time of day out of range", time_at);

  int offset = 0;
  if (c.peek() == 'Z' || c.peek() == 'z') {
    ++c.pos;
  } else if (c.peek() == '+' || c.peek() == '-') {
    const std::size_t offset_at = c.pos;
    const int sign = c.peek() == '-' ? -1 : 1;
    ++c.pos;
    const int offset_hours = c.digits(2, "a 2-digit offset hour");
    int offset_mins = 0;
    if (c.peek() == ':') {
      ++c.pos;
      offset_mins = c.digits(2, "2-digit offset minutes");
    } else if (c.digit()) {
      offset_mins = c.digits(2, "2-digit offset minutes");
    }
    if (offset_hours > 14 || offset_mins > 59) c.fail("UTC offset out of range", offset_at);
    offset = sign * (offset_hours * 60 + offset_mins);
  } else {
    c.fail("expected Z or a UTC offset such as +01:00 (local times are ambiguous on DST days)");
  }
  if (!c.at_end()) c.fail("unexpected text after the time");

  Instant instant;
  instant.unix_s = std::chrono::duration_cast<std::chrono::seconds>(days.time_since_epoch()).count() +
                   (hour * 60LL + minute) * 60 + second - offset * 60LL;
  // Every instant has a UTC form with a 4-digit year too (format_iso8601_ms, the bus form).
  if (instant.unix_s < kFirstUnixS) c.fail("before 0000-01-01T00:00:00Z", 0);
  if (instant.unix_s >= kEndUnixS) c.fail("after 9999-12-31T23:59:59Z", 0);
  instant.millis = millis;
  instant.offset_minutes = offset;
  return instant;
}

std::optional<Instant> parse_iso8601(std::string_view text, const Iso8601Rules& rules, std::string* error) {
  try {
    return parse_iso8601_or_throw(text, rules);
  } catch (const Iso8601Error& e) {
    if (error) *error = e.what();
    return std::nullopt;
  }
}

std::string format_iso8601(std::int64_t unix_s, int offset_minutes) {
  const date::sys_seconds local{std::chrono::seconds{unix_s + offset_minutes * 60LL}};
  const int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  return fmt::format("{}{}{:02d}:{:02d}", date::format("%FT%T", local), offset_minutes < 0 ? '-' : '+',
                     magnitude / 60, magnitude % 60);
}

std::string format_iso8601_in_zone(std::int64_t unix_ms, const date::time_zone& zone) {
  const date::sys_seconds time =
      date::floor<std::chrono::seconds>(date::sys_time<milliseconds>{milliseconds{unix_ms}});
  const auto offset = std::chrono::duration_cast<std::chrono::minutes>(zone.get_info(time).offset);
  return format_iso8601(time.time_since_epoch().count(), static_cast<int>(offset.count()));
}

std::string format_iso8601_ms(std::int64_t unix_ms, Milliseconds millis) {
  const date::sys_time<milliseconds> time{milliseconds{unix_ms}};
  if (millis == Milliseconds::when_nonzero && unix_ms % 1000 == 0)
    return date::format("%FT%TZ", date::floor<std::chrono::seconds>(time));
  return date::format("%FT%TZ", time);
}

}  // namespace hepek::timeseries
