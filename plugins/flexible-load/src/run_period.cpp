#include "run_period.hpp"

#include <chrono>
#include <stdexcept>

#include <date/tz.h>
#include <hepek/timeseries/iso8601.hpp>

namespace hepek::flexload {

int parse_clock_time(std::string_view text, std::string_view key) {
  const auto bad = [&] {
    return std::invalid_argument(std::string(key) + " = \"" + std::string(text.substr(0, 32)) +
                                 "\" is not a local time HH:MM (00:00..23:59)");
  };
  if (text.size() != 5 || text[2] != ':') throw bad();
  for (const std::size_t i : {0u, 1u, 3u, 4u})
    if (text[i] < '0' || text[i] > '9') throw bad();
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) throw bad();
  return hours * 60 + minutes;
}

namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

std::int64_t to_unix_ms(date::local_days day, int minute, const date::time_zone* zone) {
  const date::local_time<minutes> local = day + minutes{minute};
  const auto utc =
      zone ? zone->to_sys(local, date::choose::earliest) : date::sys_time<minutes>{local.time_since_epoch()};
  return std::chrono::duration_cast<milliseconds>(utc.time_since_epoch()).count();
}

date::local_days local_day_of(std::int64_t unix_ms, const date::time_zone* zone) {
  const date::sys_time<milliseconds> instant{milliseconds{unix_ms}};
  if (!zone) return date::local_days{date::floor<date::days>(instant).time_since_epoch()};
  return date::floor<date::days>(zone->to_local(instant));
}

}  // namespace

RunPeriod daily_period_ending_after(std::int64_t after_ms, const DailyTimes& times,
                                    const date::time_zone* zone) {
  const bool next_day = times.deadline_minute <= times.earliest_minute;
  const date::local_days today = local_day_of(after_ms, zone);
  for (int offset = -1; offset <= 2; ++offset) {
    const date::local_days day = today + date::days{offset};
    const RunPeriod period{to_unix_ms(day, times.earliest_minute, zone),
                           to_unix_ms(day + date::days{next_day ? 1 : 0}, times.deadline_minute, zone)};
    if (period.deadline_ms > after_ms) return period;
  }
  throw std::logic_error("no daily period ends within two days");  // unreachable: a deadline comes every day
}

RunPeriod one_shot_period(const std::string& earliest_start, const std::string& deadline) {
  const auto parse = [](const std::string& text, const char* key) {
    try {
      return timeseries::parse_iso8601_or_throw(text).unix_ms();
    } catch (const std::exception& error) {
      throw std::invalid_argument(std::string(key) + ": " + error.what());
    }
  };
  const RunPeriod period{parse(earliest_start, "earliest_start"), parse(deadline, "deadline")};
  if (period.deadline_ms <= period.earliest_ms)
    throw std::invalid_argument("deadline \"" + deadline + "\" is not after earliest_start \"" +
                                earliest_start + "\"");
  return period;
}

}  // namespace hepek::flexload
