// When day-ahead prices become known: the same rule as `hepek backtest`
// (timeseries::day_ahead_published_until), with the publication time configurable. At time t, prices are
// known up to the end of today; from `publish` (13:00 by default) on, up to the end of tomorrow. "Today",
// midnight and the publication time are in the price file's own UTC offsets (so a DST day is 23 or 25 hours
// long). Pure, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "price_grid.hpp"

namespace hepek::tariff {

inline constexpr int kDefaultPublishSecondOfDay = 13 * 3600;

// "13:00" or "12:45:00" → seconds after local midnight; nullopt when malformed.
std::optional<int> parse_publish_time(std::string_view text);

std::int64_t day_ahead_visible_until(const PriceGrid& grid, std::int64_t t,
                                     int publish_second_of_day = kDefaultPublishSecondOfDay);

}  // namespace hepek::tariff
