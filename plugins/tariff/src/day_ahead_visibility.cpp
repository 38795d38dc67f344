#include "day_ahead_visibility.hpp"

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>

namespace hepek::tariff {

std::optional<int> parse_publish_time(std::string_view text) {
  const auto two_digits = [&](std::size_t at) -> int {
    if (at + 2 > text.size() || text[at] < '0' || text[at] > '9' || text[at + 1] < '0' || text[at + 1] > '9')
      return -1;
    return (text[at] - '0') * 10 + (text[at + 1] - '0');
  };
  if (text.size() != 5 && text.size() != 8) return std::nullopt;
  const int hours = two_digits(0), minutes = two_digits(3);
  const int seconds = text.size() == 8 ? two_digits(6) : 0;
  if (text[2] != ':' || (text.size() == 8 && text[5] != ':')) return std::nullopt;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59)
    return std::nullopt;
  return hours * 3600 + minutes * 60 + seconds;
}

namespace {
// Local midnight `days` calendar days after the local day containing t; the offset of that midnight is the
// one in force just before it (the evening before), as in the planner's rule.
std::int64_t local_midnight(const PriceGrid& grid, std::int64_t t, int days) {
  const int offset = grid.offset_at(t);
  const std::int64_t day = timeseries::local_day(t, offset) + days;
  const std::int64_t guess = day * 86400 - static_cast<std::int64_t>(offset) * 60;
  const int offset_there = grid.offset_at(guess - 1);
  return day * 86400 - static_cast<std::int64_t>(offset_there) * 60;
}
}  // namespace

std::int64_t day_ahead_visible_until(const PriceGrid& grid, std::int64_t t, int publish_second_of_day) {
  const int second = timeseries::local_second_of_day(t, grid.offset_at(t));
  return local_midnight(grid, t, second >= publish_second_of_day ? 2 : 1);
}

}  // namespace hepek::tariff
