// IANA time zones (date/tz): finding one by name, and a clock that tells a zone's UTC offset at any instant,
// following its DST rules.
//
// find_zone throws std::invalid_argument naming the zone when the name is unknown. ZoneClock caches the rule
// in force around the last instant asked (consecutive questions are almost always in the same period), so it
// is not thread-safe: each user owns its own. "", "UTC" and "Etc/UTC" are UTC without a zone lookup.
#pragma once

#include <cstdint>
#include <string>

namespace date {
class time_zone;
}

namespace hepek::timeseries {

const date::time_zone& find_zone(const std::string& name);

class ZoneClock {
 public:
  explicit ZoneClock(const std::string& zone_name);

  // Offset of local civil time from UTC at `unix_ms`.
  std::int64_t offset_ms(std::int64_t unix_ms);
  int offset_minutes_at_s(std::int64_t unix_s) { return static_cast<int>(offset_ms(unix_s * 1000) / 60'000); }
  std::int64_t to_local_ms(std::int64_t unix_ms) { return unix_ms + offset_ms(unix_ms); }
  const std::string& name() const { return name_; }
  const date::time_zone* zone() const { return zone_; }  // nullptr for UTC

 private:
  std::string name_;
  const date::time_zone* zone_ = nullptr;
  std::int64_t cached_begin_ms_ = 1;  // empty cache: begin > end
  std::int64_t cached_end_ms_ = 0;
  std::int64_t cached_offset_ms_ = 0;
};

}  // namespace hepek::timeseries
