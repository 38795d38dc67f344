// How config values of the ABI's typed rows are written: the one reader of durations and the one wording of
// type names, shared by the hub's config validation, its CLI options and the SDK's fake host, so a plugin's unit
// test accepts and refuses exactly what the hub does.
//
// Contract: header-only, pure functions, thread-safe.
//  - parse_duration_ms(text): "<integer>" (seconds) or one or more "<integer><unit>" parts, unit one of
//    ms s m h d (e.g. "90s", "15m", "1h30m"), as integer milliseconds; nullopt for anything else (empty, a
//    sign, a fraction, an unknown unit, more than 12 digits in a part, or a total beyond 100 years).
//  - config_type_name(type): what a value of an enum hepek_config_type must be, for error messages ("an
//    integer", "a duration (...)").
//  - config_value<T>(config, key, fallback): a plugin's typed read of one key of its (already validated) config
//    object, fallback when absent; throws std::invalid_argument "<key>: <value> has the wrong type" otherwise.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hepek/abi.h"

namespace hepek {

inline std::optional<int64_t> parse_duration_ms(std::string_view text) {
  constexpr int64_t kMaxDigits = 12;
  constexpr int64_t kMaxMs = int64_t{100} * 366 * 86'400'000;
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto is_letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (text.empty()) return std::nullopt;
  int64_t total = 0;
  std::size_t position = 0;
  while (position < text.size()) {
    std::size_t digits = position;
    int64_t value = 0;
    while (digits < text.size() && is_digit(text[digits])) {
      // Checked before it accumulates: 19 digits would overflow int64 (undefined behaviour).
      if (static_cast<int64_t>(digits - position) >= kMaxDigits) return std::nullopt;
      value = value * 10 + (text[digits++] - '0');
    }
    if (digits == position) return std::nullopt;
    std::size_t unit_end = digits;
    while (unit_end < text.size() && is_letter(text[unit_end])) ++unit_end;
    const std::string_view unit = text.substr(digits, unit_end - digits);
    int64_t scale = 0;
    if (unit.empty() && position == 0 && unit_end == text.size())
      scale = 1000;  // a bare integer: seconds
    else if (unit == "ms")
      scale = 1;
    else if (unit == "s")
      scale = 1000;
    else if (unit == "m")
      scale = 60'000;
    else if (unit == "h")
      scale = 3'600'000;
    else if (unit == "d")
      scale = 86'400'000;
    else
      return std::nullopt;
    if (value > kMaxMs / scale) return std::nullopt;  // beyond 100 years, and value * scale cannot overflow
    total += value * scale;
    if (total > kMaxMs) return std::nullopt;
    position = unit_end;
  }
  return total;
}

inline const char* config_type_name(uint32_t type) {
  switch (type) {
    case HEPEK_CONFIG_STRING:
      return "a string";
    case HEPEK_CONFIG_INTEGER:
      return "an integer";
    case HEPEK_CONFIG_FLOAT:
      return "a number";
    case HEPEK_CONFIG_BOOLEAN:
      return "true or false";
    case HEPEK_CONFIG_STRING_ARRAY:
      return "an array of strings";
    case HEPEK_CONFIG_TABLE:
      return "a table or array";
    case HEPEK_CONFIG_DURATION:
      return "a duration (integer seconds, or a string such as \"90s\", \"15m\", \"1h30m\")";
    case HEPEK_CONFIG_PATH:
      return "a path (a string)";
    default:
      return "a value of a type this hub does not know";
  }
}

template <typename T>
T config_value(const nlohmann::json& config, const char* key, T fallback) {
  if (!config.contains(key)) return fallback;
  try {
    return config.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::invalid_argument(std::string(key) + ": " + config.at(key).dump() + " has the wrong type");
  }
}

}  // namespace hepek
