#include "time_util.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <cctype>
#include <chrono>
#include <stdexcept>

namespace hepek::sim {
namespace {

struct Cursor {
  std::string_view text;
  std::size_t pos = 0;
  [[noreturn]] void fail(const char* what) const {
    throw std::invalid_argument("bad ISO 8601 time \"" + std::string(text) + "\": " + what +
                                " at character " + std::to_string(pos + 1));
  }
  int digits(std::size_t count, const char* what) {
    int value = 0;
    for (std::size_t i = 0; i < count; ++i, ++pos) {
      if (pos >= text.size() || !std::isdigit(static_cast<unsigned char>(text[pos]))) fail(what);
      value = value * 10 + (text[pos] - '0');
    }
    return value;
  }
  void expect(char c, const char* what) {
    if (pos >= text.size() || text[pos] != c) fail(what);
    ++pos;
  }
  bool at_end() const { return pos >= text.size(); }
  char peek() const { return at_end() ? '\0' : text[pos]; }
};

}  // namespace

std::int64_t parse_iso8601_ms(std::string_view text) {
  Cursor c{text};
  const int year = c.digits(4, "expected a 4-digit year");
  c.expect('-', "expected '-'");
  const int month = c.digits(2, "expected a 2-digit month");
  c.expect('-', "expected '-'");
  const int day = c.digits(2, "expected a 2-digit day");
  const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                 date::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) c.fail("no such date");
  std::int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(date::sys_days{ymd}.time_since_epoch()).count();
  if (c.at_end()) return ms;
  if (c.peek() != 'T' && c.peek() != ' ') c.fail("expected 'T'");
  ++c.pos;
  const int hour = c.digits(2, "expected a 2-digit hour");
  c.expect(':', "expected ':'");
  const int minute = c.digits(2, "expected 2-digit minutes");
  int second = 0, millis = 0;
  if (c.peek() == ':') {
    ++c.pos;
    second = c.digits(2, "expected 2-digit seconds");
    if (c.peek() == '.') {
      ++c.pos;
      int scale = 100;
      if (!std::isdigit(static_cast<unsigned char>(c.peek()))) c.fail("expected fraction digits");
      while (std::isdigit(static_cast<unsigned char>(c.peek()))) {
        millis += (c.text[c.pos] - '0') * scale;
        scale /= 10;
        ++c.pos;
      }
    }
  }
  if (hour > 24 || minute > 59 || second > 60) c.fail("time of day out of range");
  ms += ((hour * 60LL + minute) * 60 + second) * 1000 + millis;
  if (c.at_end()) return ms;
  if (c.peek() == 'Z') {
    ++c.pos;
  } else if (c.peek() == '+' || c.peek() == '-') {
    const int sign = c.peek() == '-' ? -1 : 1;
    ++c.pos;
    const int offset_hours = c.digits(2, "expected a 2-digit offset hour");
    int offset_minutes = 0;
    if (c.peek() == ':') ++c.pos;
    if (!c.at_end()) offset_minutes = c.digits(2, "expected 2-digit offset minutes");
    ms -= sign * (offset_hours * 60LL + offset_minutes) * 60'000;
  } else {
    c.fail("expected Z or a UTC offset");
  }
  if (!c.at_end()) c.fail("unexpected trailing text");
  return ms;
}

std::string format_iso8601_ms(std::int64_t unix_ms) {
  const date::sys_time<std::chrono::milliseconds> t{std::chrono::milliseconds{unix_ms}};
  const auto day = date::floor<date::days>(t);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::milliseconds> tod{t - day};
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                static_cast<int>(tod.seconds().count()));
  return buffer;
}

int day_of_year_utc(std::int64_t unix_ms) {
  const date::sys_days day{date::days{floor_div(unix_ms, kMillisPerDay)}};
  const date::year_month_day ymd{day};
  const date::sys_days first{ymd.year() / date::January / 1};
  return static_cast<int>((day - first).count()) + 1;
}

LocalClock::LocalClock(const std::string& zone_name) {
  if (zone_name.empty() || zone_name == "UTC" || zone_name == "Etc/UTC") return;
  try {
    zone_ = date::locate_zone(zone_name);
  } catch (const std::exception& error) {
    throw std::invalid_argument("unknown time zone \"" + zone_name + "\": " + error.what());
  }
}

std::int64_t LocalClock::offset_ms(std::int64_t unix_ms) {
  if (!zone_) return 0;
  if (unix_ms >= cached_begin_ms_ && unix_ms < cached_end_ms_) return cached_offset_ms_;
  const date::sys_time<std::chrono::milliseconds> t{std::chrono::milliseconds{unix_ms}};
  const date::sys_info info = zone_->get_info(t);
  cached_begin_ms_ =
      std::chrono::duration_cast<std::chrono::milliseconds>(info.begin.time_since_epoch()).count();
  cached_end_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(info.end.time_since_epoch()).count();
  cached_offset_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(info.offset).count();
  return cached_offset_ms_;
}

}  // namespace hepek::sim
