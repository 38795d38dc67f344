// Small helpers for the command line: durations ("90s", "5m", "2h") and --flag value lookup.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hepek/config_values.hpp"

namespace hepek::core {

// Durations ("90s", "1h30m", a plain number of seconds) are read by hepek::parse_duration_ms, the same reader
// the config uses for duration rows.
using hepek::parse_duration_ms;

// Removes "--name value" (or "--name=value") from args and returns the value; throws when the value is missing.
std::optional<std::string> take_option(std::vector<std::string>& args, const std::string& name);
// Removes "--name" from args and returns whether it was there.
bool take_flag(std::vector<std::string>& args, const std::string& name);

}  // namespace hepek::core
