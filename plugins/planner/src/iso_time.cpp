#include "iso_time.hpp"

#include <cctype>

#include <date/date.h>
#include <fmt/format.h>

namespace hepek::planner {
namespace {

// Reads exactly `digits` decimal digits at `pos`; advances pos.
bool read_number(std::string_view text, size_t& pos, int digits, int& out) {
  if (pos + digits > text.size()) return false;
  int value = 0;
  for (int i = 0; i < digits; ++i) {
    const char c = text[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  pos += digits;
  out = value;
  return true;
}

bool expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

std::optional<int64_t> days_from_civil(int year, int month, int day) {
  const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                 date::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return date::sys_days{ymd}.time_since_epoch().count();
}

}  // namespace

std::optional<Instant> parse_iso8601(std::string_view text) {
  size_t pos = 0;
  int year, month, day, hour, minute, second = 0;
  if (!read_number(text, pos, 4, year) || !expect(text, pos, '-') || !read_number(text, pos, 2, month) ||
      !expect(text, pos, '-') || !read_number(text, pos, 2, day))
    return std::nullopt;
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != ' ')) return std::nullopt;
  ++pos;
  if (!read_number(text, pos, 2, hour) || !expect(text, pos, ':') || !read_number(text, pos, 2, minute))
    return std::nullopt;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (!read_number(text, pos, 2, second)) return std::nullopt;
    if (pos < text.size() && text[pos] == '.') {  // fractional seconds: accepted, must be zero-length-safe
      ++pos;
      const size_t start = pos;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
      if (pos == start) return std::nullopt;
    }
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  int offset = 0;
  if (pos < text.size() && text[pos] == 'Z') {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om;
    if (!read_number(text, pos, 2, oh) || !expect(text, pos, ':') || !read_number(text, pos, 2, om))
      return std::nullopt;
    if (oh > 14 || om > 59) return std::nullopt;
    offset = sign * (oh * 60 + om);
  } else {
    return std::nullopt;  // an offset is required: local times without one are ambiguous on DST days
  }
  if (pos != text.size()) return std::nullopt;
  const auto days = days_from_civil(year, month, day);
  if (!days) return std::nullopt;
  return Instant{*days * 86400 + hour * 3600 + minute * 60 + second - offset * 60, offset};
}

std::optional<int64_t> parse_date_at_offset(std::string_view text, int offset_minutes) {
  size_t pos = 0;
  int year, month, day;
  if (!read_number(text, pos, 4, year) || !expect(text, pos, '-') || !read_number(text, pos, 2, month) ||
      !expect(text, pos, '-') || !read_number(text, pos, 2, day) || pos != text.size())
    return std::nullopt;
  const auto days = days_from_civil(year, month, day);
  if (!days) return std::nullopt;
  return *days * 86400 - offset_minutes * 60;
}

int64_t local_day(int64_t unix_s, int offset_minutes) {
  const int64_t local = unix_s + offset_minutes * 60;
  return local >= 0 ? local / 86400 : (local - 86399) / 86400;
}

int local_second_of_day(int64_t unix_s, int offset_minutes) {
  const int64_t local = unix_s + offset_minutes * 60;
  return static_cast<int>(local - local_day(unix_s, offset_minutes) * 86400);
}

int local_weekday(int64_t unix_s, int offset_minutes) {
  const date::weekday wd{date::sys_days{date::days{local_day(unix_s, offset_minutes)}}};
  return static_cast<int>(wd.iso_encoding()) - 1;
}

int local_month(int64_t unix_s, int offset_minutes) {
  const date::year_month_day ymd{date::sys_days{date::days{local_day(unix_s, offset_minutes)}}};
  return static_cast<int>(static_cast<unsigned>(ymd.month()));
}

std::string format_iso8601(int64_t unix_s, int offset_minutes) {
  const date::year_month_day ymd{date::sys_days{date::days{local_day(unix_s, offset_minutes)}}};
  const int sod = local_second_of_day(unix_s, offset_minutes);
  const int abs_offset = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}{}{:02d}:{:02d}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), sod / 3600,
                     (sod / 60) % 60, sod % 60, offset_minutes < 0 ? '-' : '+', abs_offset / 60,
                     abs_offset % 60);
}

}  // namespace hepek::planner
