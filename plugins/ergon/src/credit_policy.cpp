#include "credit_policy.hpp"

#include <chrono>
#include <regex>
#include <stdexcept>

#include <date/date.h>
#include <date/tz.h>

namespace hepek::ergon {

bool ProtectedHours::contains(int minute) const {
  if (start_minute == end_minute) return false;
  if (start_minute < end_minute) return minute >= start_minute && minute < end_minute;
  return minute >= start_minute || minute < end_minute;  // wraps midnight
}

std::optional<ProtectedHours> parse_protected_hours(const std::string& text) {
  if (text.empty()) return std::nullopt;
  static const std::regex pattern(R"(^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$)");
  std::smatch match;
  if (!std::regex_match(text, match, pattern))
    throw std::invalid_argument("protected_hours \"" + text +
                                "\": expected HH:MM-HH:MM, e.g. \"22:00-07:00\"");
  ProtectedHours hours;
  hours.start_minute = std::stoi(match[1]) * 60 + std::stoi(match[2]);
  hours.end_minute = std::stoi(match[3]) * 60 + std::stoi(match[4]);
  return hours;
}

int local_minute_of_day(std::int64_t unix_ms, const std::string& timezone) {
  const auto zone = date::locate_zone(timezone.empty() ? "UTC" : timezone);
  const date::sys_time<std::chrono::milliseconds> instant{std::chrono::milliseconds(unix_ms)};
  const auto local = date::make_zoned(zone, instant).get_local_time();
  const auto since_midnight = local - date::floor<date::days>(local);
  return static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(since_midnight).count());
}

CreditDecision decide_credit(const CreditInput& input) {
  if (input.remaining > input.low_threshold) return {"ok", true, false};
  if (input.remaining > 0) return {"low", true, true};
  if (input.owner_override) return {"override", true, true};
  if (input.inside_protected_hours) return {"protected", true, true};
  if (input.emergency_available) return {"emergency", true, true};
  return {"cut", false, true};
}

}  // namespace hepek::ergon
