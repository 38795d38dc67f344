#include "comfort_schedule.hpp"

#include <cmath>
#include <regex>
#include <stdexcept>

#include <fmt/format.h>

namespace hepek::climate {
namespace {

// "HH:MM" to minutes since midnight; 24:00 allowed as the end of the day.
std::optional<int> minutes(const std::string& hours, const std::string& mins) {
  const int h = std::stoi(hours), m = std::stoi(mins);
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

}  // namespace

std::optional<ComfortBand> ComfortSchedule::band_at(int minute_of_day) const {
  if (minute_of_day < 0 || minute_of_day >= kMinutesPerDay) return std::nullopt;
  const int owner = owner_[static_cast<std::size_t>(minute_of_day)];
  if (owner < 0) return std::nullopt;
  return bands_[static_cast<std::size_t>(owner)];
}

ComfortSchedule parse_comfort_schedule(const std::vector<std::string>& entries) {
  static const std::regex kEntry(
      R"(^\s*(\d{2}):(\d{2})-(\d{2}):(\d{2})\s+(-?\d+(?:\.\d+)?)-(-?\d+(?:\.\d+)?)\s*$)");
  ComfortSchedule schedule;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string& text = entries[i];
    const std::string where = fmt::format("comfort[{}] \"{}\"", i, text.substr(0, 64));
    std::smatch match;
    if (text.size() > 64 || !std::regex_match(text, match, kEntry))
      throw std::invalid_argument(where + " is not \"HH:MM-HH:MM MIN-MAX\" (e.g. \"07:00-23:00 20-24\")");
    const auto from = minutes(match[1], match[2]);
    const auto to = minutes(match[3], match[4]);
    if (!from || *from == ComfortSchedule::kMinutesPerDay)
      throw std::invalid_argument(where + ": the start time is not a time of day 00:00..23:59");
    if (!to) throw std::invalid_argument(where + ": the end time is not a time of day 00:00..24:00");
    if (*from == *to)
      throw std::invalid_argument(where +
                                  ": the start and end time are the same (use 00:00-24:00 for all day)");
    const ComfortBand band{std::stod(match[5]), std::stod(match[6])};
    if (!(band.min < band.max)) throw std::invalid_argument(where + ": MIN must be below MAX");
    if (band.min < -50 || band.max > 100)
      throw std::invalid_argument(where + ": the band must lie within -50..100 °C");
    const int index = static_cast<int>(schedule.bands_.size());
    schedule.bands_.push_back(band);
    for (int minute = *from; minute != *to; minute = (minute + 1) % ComfortSchedule::kMinutesPerDay) {
      int& owner = schedule.owner_[static_cast<std::size_t>(minute)];
      if (owner >= 0)
        throw std::invalid_argument(fmt::format("{} overlaps comfort[{}] \"{}\" at {:02}:{:02}", where, owner,
                                                entries[static_cast<std::size_t>(owner)], minute / 60,
                                                minute % 60));
      owner = index;
      if (*to == ComfortSchedule::kMinutesPerDay && minute == ComfortSchedule::kMinutesPerDay - 1) break;
    }
  }
  return schedule;
}

}  // namespace hepek::climate
