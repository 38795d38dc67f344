#include "off_schedule.hpp"

#include <chrono>
#include <sstream>
#include <stdexcept>

#include <date/date.h>

namespace hepek::relay {

std::int64_t parse_time_ms(const std::string& text) {
  using Milliseconds = date::sys_time<std::chrono::milliseconds>;
  for (const char* format : {"%FT%T%Ez", "%FT%TZ", "%FT%H:%M%Ez", "%FT%H:%MZ", "%F"}) {
    std::istringstream in(text);
    Milliseconds time;
    in >> date::parse(format, time);
    if (!in.fail() && in.peek() == std::char_traits<char>::eof()) return time.time_since_epoch().count();
  }
  throw std::invalid_argument("\"" + text + "\" is not an ISO 8601 time such as 2024-03-01T12:00:00Z");
}

bool OffSchedule::is_off(std::int64_t unix_ms) const {
  for (const auto& period : periods_)
    if (unix_ms >= period.from_ms && unix_ms < period.until_ms) return true;
  return false;
}

OffSchedule parse_off_schedule(const std::vector<std::string>& intervals) {
  std::vector<OffSchedule::Period> periods;
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    const std::string& entry = intervals[i];
    const std::string where = "off_periods[" + std::to_string(i) + "] \"" + entry + "\": ";
    const auto slash = entry.find('/');
    if (slash == std::string::npos) throw std::invalid_argument(where + "expected FROM/UNTIL");
    OffSchedule::Period period{};
    try {
      period.from_ms = parse_time_ms(entry.substr(0, slash));
      period.until_ms = parse_time_ms(entry.substr(slash + 1));
    } catch (const std::invalid_argument& error) {
      throw std::invalid_argument(where + error.what());
    }
    if (period.until_ms <= period.from_ms) throw std::invalid_argument(where + "UNTIL must be after FROM");
    periods.push_back(period);
  }
  return OffSchedule(std::move(periods));
}

}  // namespace hepek::relay
