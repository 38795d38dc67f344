// Credit rules: when the member's supply relay may be on.
//
// Contract: decide() is a pure function of the remaining credit, the configuration and the local wall time.
//   remaining > low_threshold                      → "ok", relay on
//   0 < remaining ≤ low_threshold                  → "low", relay on, warn
//   remaining == 0, owner override                 → "override", relay on
//   remaining == 0, inside protected hours         → "protected", relay on
//   remaining == 0, emergency allowance left       → "emergency", relay on (the allowance used is repaid from
//                                                     the next top-up)
//   remaining == 0 otherwise                       → "cut", relay off
// Protected hours are "HH:MM-HH:MM" in the home's time zone; a range may wrap midnight ("22:00-07:00"); an
// empty string means none. parse_protected_hours() throws std::invalid_argument naming the bad text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hepek/eth/uint256.hpp"

namespace hepek::ergon {

struct ProtectedHours {
  int start_minute = 0;  // minutes after local midnight
  int end_minute = 0;
  bool contains(int minute_of_day) const;
};

std::optional<ProtectedHours> parse_protected_hours(const std::string& text);

// Minute of the local day of `unix_ms` in time zone `timezone` (IANA name).
int local_minute_of_day(std::int64_t unix_ms, const std::string& timezone);

struct CreditInput {
  eth::uint256 remaining;  // deposit − spent, base units
  eth::uint256 low_threshold;
  bool emergency_available = false;  // allowance not yet used up
  bool owner_override = false;
  bool inside_protected_hours = false;
};

struct CreditDecision {
  std::string state;  // ok, low, override, protected, emergency, cut
  bool relay_on = true;
  bool warn = false;
};

CreditDecision decide_credit(const CreditInput& input);

}  // namespace hepek::ergon
