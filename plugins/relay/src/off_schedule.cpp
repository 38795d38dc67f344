#include "off_schedule.hpp"

#include <stdexcept>

#include <hepek/timeseries/iso8601.hpp>

namespace hepek::relay {

std::int64_t parse_time_ms(const std::string& text) {
  try {
    return timeseries::parse_iso8601_or_throw(text, timeseries::kDateOrDateTime).unix_ms();
  } catch (const timeseries::Iso8601Error& error) {
    throw std::invalid_argument(std::string(error.what()) + " (e.g. 2024-03-01T12:00:00Z)");
  }
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
