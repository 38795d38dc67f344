#include "time_util.hpp"

#include <date/date.h>

namespace hepek::sim {

int day_of_year_utc(std::int64_t unix_ms) {
  const date::sys_days day{date::days{floor_div(unix_ms, kMillisPerDay)}};
  const date::year_month_day ymd{day};
  const date::sys_days first{ymd.year() / date::January / 1};
  return static_cast<int>((day - first).count()) + 1;
}

}  // namespace hepek::sim
