// Small helpers for the command line: durations ("90s", "5m", "2h") and --flag value lookup.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hepek::core {

// Milliseconds of "90s", "5m", "2h", "1d", "250ms", a combination such as "1h30m", or a plain number of
// seconds; nullopt when malformed.
std::optional<int64_t> parse_duration_ms(const std::string& text);

// Removes "--name value" (or "--name=value") from args and returns the value; throws when the value is missing.
std::optional<std::string> take_option(std::vector<std::string>& args, const std::string& name);
// Removes "--name" from args and returns whether it was there.
bool take_flag(std::vector<std::string>& args, const std::string& name);

}  // namespace hepek::core
