// When a flexible load's pending run may happen: the period [earliest_ms, deadline_ms) of one run, either given
// once (ISO 8601 earliest_start/deadline) or recurring daily at local wall-clock times ("HH:MM") in an IANA
// zone, the deadline on the next day when it is not after the earliest time (22:00 → 06:00).
//
// Daily times are local civil times: on a DST day a time that does not exist (02:30 on the spring-forward day
// in Europe/Amsterdam) is the instant the clocks jump (03:00 new time), and an ambiguous one (02:30 on the
// fall-back day) is its first occurrence. Pure functions, thread-safe; bad text throws std::invalid_argument
// naming the key and the text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace hepek::flexload {

struct RunPeriod {
  std::int64_t earliest_ms = 0;
  std::int64_t deadline_ms = 0;
  bool operator==(const RunPeriod&) const = default;
};

struct DailyTimes {
  int earliest_minute = 0;  // minute of the local day, 0..1439
  int deadline_minute = 0;
};

// "HH:MM" (00:00..23:59) → minute of the day; `key` names the config key in the error.
int parse_clock_time(std::string_view text, std::string_view key);

// The daily period whose deadline is the first one strictly after `after_ms`. zone == nullptr: UTC.
RunPeriod daily_period_ending_after(std::int64_t after_ms, const DailyTimes& times,
                                    const date::time_zone* zone);

// A one-shot period from ISO 8601 texts (with an offset); throws when the deadline is not after the earliest.
RunPeriod one_shot_period(const std::string& earliest_start, const std::string& deadline);

}  // namespace hepek::flexload
