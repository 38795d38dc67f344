#include "hepek/timeseries/zone_clock.hpp"

#include <chrono>
#include <stdexcept>

#include <date/tz.h>
#include <fmt/format.h>

namespace hepek::timeseries {

const date::time_zone& find_zone(const std::string& name) {
  try {
    return *date::locate_zone(name);
  } catch (const std::exception&) {
    throw std::invalid_argument(
        fmt::format("unknown time zone \"{}\" (an IANA name such as Europe/Amsterdam)", name));
  }
}

ZoneClock::ZoneClock(const std::string& zone_name) : name_(zone_name.empty() ? "UTC" : zone_name) {
  if (name_ == "UTC" || name_ == "Etc/UTC") return;
  zone_ = &find_zone(name_);
}

std::int64_t ZoneClock::offset_ms(std::int64_t unix_ms) {
  if (!zone_) return 0;
  if (unix_ms >= cached_begin_ms_ && unix_ms < cached_end_ms_) return cached_offset_ms_;
  using std::chrono::milliseconds;
  const date::sys_info info = zone_->get_info(date::sys_time<milliseconds>{milliseconds{unix_ms}});
  cached_begin_ms_ = std::chrono::duration_cast<milliseconds>(info.begin.time_since_epoch()).count();
  cached_end_ms_ = std::chrono::duration_cast<milliseconds>(info.end.time_since_epoch()).count();
  cached_offset_ms_ = std::chrono::duration_cast<milliseconds>(info.offset).count();
  return cached_offset_ms_;
}

}  // namespace hepek::timeseries
