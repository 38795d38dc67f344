// The local calendar of a Unix time seen at a UTC offset: day number, second of the day, weekday, month.
// The offset comes from the data (a CSV row's written offset) or from a zone
// (ZoneClock::offset_minutes_at_s). Pure functions, thread-safe; correct for times before 1970.
#pragma once

#include <cstdint>

namespace hepek::timeseries {

// Days since 1970-01-01 of the local calendar date of `unix_s` at `offset_minutes`.
std::int64_t local_day(std::int64_t unix_s, int offset_minutes);
// 0 .. 86399
int local_second_of_day(std::int64_t unix_s, int offset_minutes);
// 0 = Monday ... 6 = Sunday.
int local_weekday(std::int64_t unix_s, int offset_minutes);
// 1 .. 12
int local_month(std::int64_t unix_s, int offset_minutes);

}  // namespace hepek::timeseries
