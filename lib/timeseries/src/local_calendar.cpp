#include "hepek/timeseries/local_calendar.hpp"

#include <date/date.h>

namespace hepek::timeseries {

std::int64_t local_day(std::int64_t unix_s, int offset_minutes) {
  const std::int64_t local = unix_s + offset_minutes * 60LL;
  return local >= 0 ? local / 86400 : (local - 86399) / 86400;
}

int local_second_of_day(std::int64_t unix_s, int offset_minutes) {
  const std::int64_t local = unix_s + offset_minutes * 60LL;
  return static_cast<int>(local - local_day(unix_s, offset_minutes) * 86400);
}

int local_weekday(std::int64_t unix_s, int offset_minutes) {
  const date::weekday weekday{date::sys_days{date::days{local_day(unix_s, offset_minutes)}}};
  return static_cast<int>(weekday.iso_encoding()) - 1;
}

int local_month(std::int64_t unix_s, int offset_minutes) {
  const date::year_month_day ymd{date::sys_days{date::days{local_day(unix_s, offset_minutes)}}};
  return static_cast<int>(static_cast<unsigned>(ymd.month()));
}

}  // namespace hepek::timeseries
