#include "timestamp.hpp"

#include <date/date.h>
#include <fmt/format.h>

namespace hepek::dsmr {
namespace {

bool all_digits(std::string_view text) {
  for (const char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

int two_digits(std::string_view text, std::size_t at) {
  return (text[at] - '0') * 10 + (text[at + 1] - '0');
}

}  // namespace

bool looks_like_timestamp(std::string_view text) {
  if (text.size() == 13) return all_digits(text.substr(0, 12)) && (text[12] == 'S' || text[12] == 'W');
  return text.size() == 12 && all_digits(text);
}

std::optional<Timestamp> parse_timestamp(std::string_view text, std::string* reason) {
  auto fail = [&](std::string why) -> std::optional<Timestamp> {
    if (reason) *reason = std::move(why);
    return std::nullopt;
  };
  if (!looks_like_timestamp(text))
    return fail(fmt::format("'{}' is not a timestamp (YYMMDDhhmmss followed by S or W)", text));
  Timestamp t;
  t.year = 2000 + two_digits(text, 0);
  t.month = two_digits(text, 2);
  t.day = two_digits(text, 4);
  t.hour = two_digits(text, 6);
  t.minute = two_digits(text, 8);
  t.second = two_digits(text, 10);
  const date::year_month_day ymd{date::year{t.year}, date::month{static_cast<unsigned>(t.month)},
                                 date::day{static_cast<unsigned>(t.day)}};
  if (!ymd.ok()) return fail(fmt::format("'{}' is not a calendar date", text));
  if (t.hour > 23 || t.minute > 59 || t.second > 59)
    return fail(fmt::format("'{}' is not a time of day", text));
  if (text.size() == 13) t.utc_offset_minutes = text[12] == 'S' ? 120 : 60;
  return t;
}

std::string Timestamp::iso8601() const {
  std::string out =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", year, month, day, hour, minute, second);
  if (utc_offset_minutes)
    out += fmt::format("{}{:02}:{:02}", *utc_offset_minutes < 0 ? '-' : '+',
                       std::abs(*utc_offset_minutes) / 60, std::abs(*utc_offset_minutes) % 60);
  return out;
}

std::optional<int64_t> Timestamp::unix_seconds() const {
  if (!utc_offset_minutes) return std::nullopt;
  const date::sys_days days = date::year_month_day{
      date::year{year}, date::month{static_cast<unsigned>(month)}, date::day{static_cast<unsigned>(day)}};
  const int64_t local =
      static_cast<int64_t>(days.time_since_epoch().count()) * 86400 + hour * 3600 + minute * 60 + second;
  return local - static_cast<int64_t>(*utc_offset_minutes) * 60;
}

Timestamp Timestamp::plus_minutes(int64_t minutes) const {
  using namespace std::chrono;
  const date::sys_days days = date::year_month_day{
      date::year{year}, date::month{static_cast<unsigned>(month)}, date::day{static_cast<unsigned>(day)}};
  const auto moved = days + hours{hour} + std::chrono::minutes{minute + minutes} + seconds{second};
  const auto moved_days = date::floor<date::days>(moved);
  const date::year_month_day ymd{moved_days};
  const date::hh_mm_ss<seconds> time{date::floor<seconds>(moved - moved_days)};
  Timestamp out = *this;
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  out.hour = static_cast<int>(time.hours().count());
  out.minute = static_cast<int>(time.minutes().count());
  out.second = static_cast<int>(time.seconds().count());
  return out;
}

}  // namespace hepek::dsmr
