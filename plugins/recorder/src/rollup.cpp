#include "rollup.hpp"

#include <chrono>
#include <stdexcept>

namespace hepek::recorder {
namespace {

constexpr int64_t kHourMs = 3'600'000;

int64_t hour_start(int64_t ts_ms) {
  const int64_t remainder = ts_ms % kHourMs;
  return ts_ms - (remainder < 0 ? remainder + kHourMs : remainder);
}

int64_t local_day_start(int64_t ts_ms, const date::time_zone* zone) {
  using std::chrono::milliseconds;
  const auto local = zone->to_local(date::sys_time<milliseconds>(milliseconds(ts_ms)));
  const auto midnight = date::floor<date::days>(local);
  // Midnight can fall in a DST gap in a few zones: choose::earliest maps it to the gap's start.
  const auto start = zone->to_sys(midnight, date::choose::earliest);
  return std::chrono::duration_cast<milliseconds>(start.time_since_epoch()).count();
}

}  // namespace

int64_t coarse_bucket_start(int64_t quarter_ms, Resolution resolution, const date::time_zone* zone) {
  switch (resolution) {
    case Resolution::quarter_hour:
      return quarter_ms;
    case Resolution::hour:
      return hour_start(quarter_ms);
    case Resolution::day:
      if (!zone) throw std::invalid_argument("coarse_bucket_start: days need a time zone");
      return local_day_start(quarter_ms, zone);
    case Resolution::raw:
      break;
  }
  throw std::invalid_argument("coarse_bucket_start: raw is not an aggregate resolution");
}

double statistic_value(const Aggregate& aggregate, Statistic statistic) {
  switch (statistic) {
    case Statistic::mean:
      return aggregate.mean();
    case Statistic::min:
      return aggregate.min;
    case Statistic::max:
      return aggregate.max;
    case Statistic::last:
      return aggregate.last;
    case Statistic::count:
      return static_cast<double>(aggregate.count);
    case Statistic::automatic:
      break;
  }
  throw std::invalid_argument("statistic_value: resolve \"auto\" first");
}

}  // namespace hepek::recorder
