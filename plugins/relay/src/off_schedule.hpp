// A list of periods during which the relay is forced off (for simulations and tests: "cut supply for this
// hour").
//
// Contract: parse_off_schedule takes ISO 8601 intervals "FROM/UNTIL" (each time with Z or a ±hh:mm offset, or
// a date) and throws std::invalid_argument naming the entry when it is malformed or UNTIL is not after FROM.
// is_off(t) is true for FROM <= t < UNTIL of any period. Pure; immutable after construction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hepek::relay {

class OffSchedule {
 public:
  struct Period {
    std::int64_t from_ms;
    std::int64_t until_ms;
  };
  OffSchedule() = default;
  explicit OffSchedule(std::vector<Period> periods) : periods_(std::move(periods)) {}
  bool is_off(std::int64_t unix_ms) const;
  bool empty() const { return periods_.empty(); }
  const std::vector<Period>& periods() const { return periods_; }

 private:
  std::vector<Period> periods_;
};

OffSchedule parse_off_schedule(const std::vector<std::string>& intervals);
std::int64_t parse_time_ms(const std::string& text);  // ISO 8601 with offset or Z, or a date (UTC midnight)

}  // namespace hepek::relay
