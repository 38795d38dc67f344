// Validates a /set command against a device's announced entity metadata.
//
// Contract: validate_command(metadata, payload) returns an empty string when `payload` is a JSON object whose every
// key is a writable field of the device and whose every value fits that field's command schema; otherwise a message
// naming the first offending key and what was expected. Pure function, header-only. A message quotes at most
// kQuotedPrefix bytes of a key or value (then "… (N bytes)", hepek/quote.hpp), so a huge rejected command gets a
// short reply. The payload is parsed by json_limits::parse_limited: deep, huge, NUL bytes and duplicate keys are
// malformed (a number too large for a double, 1e400, is a parse error there too).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hepek/json_limits.hpp"
#include "hepek/quote.hpp"

namespace hepek {

namespace detail {
inline std::string join_keys(const nlohmann::json& writable) {
  std::string out;
  for (const auto& [key, schema] : writable.items()) {
    if (!out.empty()) out += ", ";
    out += key;
  }
  return out.empty() ? "(none)" : out;
}

inline std::string check_value(const std::string& key, const nlohmann::json& schema,
                               const nlohmann::json& value) {
  const std::string type = schema.value("type", "");
  auto range_error = [&](double number) -> std::string {
    if (schema.contains("min") && number < schema["min"].get<double>())
      return "\"" + quote_prefix(key) + "\": " + quote_json(value) + " is below the minimum " +
             schema["min"].dump();
    if (schema.contains("max") && number > schema["max"].get<double>())
      return "\"" + quote_prefix(key) + "\": " + quote_json(value) + " is above the maximum " +
             schema["max"].dump();
    return {};
  };
  if (type == "number") {
    if (!value.is_number()) return "\"" + quote_prefix(key) + "\" must be a number, got " + quote_json(value);
    return range_error(value.get<double>());
  }
  if (type == "integer") {
    if (!value.is_number_integer())
      return "\"" + quote_prefix(key) + "\" must be an integer, got " + quote_json(value);
    return range_error(value.get<double>());
  }
  if (type == "boolean") {
    if (!value.is_boolean())
      return "\"" + quote_prefix(key) + "\" must be true or false, got " + quote_json(value);
    return {};
  }
  if (type == "enum") {
    const auto& allowed = schema["values"];
    if (value.is_string()) {
      for (const auto& option : allowed)
        if (option == value) return {};
    }
    return "\"" + quote_prefix(key) + "\" must be one of " + allowed.dump() + ", got " + quote_json(value);
  }
  if (type == "string") {
    if (!value.is_string()) return "\"" + quote_prefix(key) + "\" must be a string, got " + quote_json(value);
    if (schema.contains("max_length") &&
        value.get<std::string>().size() > schema["max_length"].get<std::size_t>())
      return "\"" + quote_prefix(key) + "\" is longer than " + schema["max_length"].dump() + " characters";
    return {};
  }
  return "\"" + quote_prefix(key) + "\" has an unknown command type \"" + type + "\" in the device metadata";
}
}  // namespace detail

// Writable fields of a device: field name -> command schema.
inline nlohmann::json writable_fields(const nlohmann::json& metadata) {
  nlohmann::json writable = nlohmann::json::object();
  if (!metadata.contains("entities") || !metadata["entities"].is_array()) return writable;
  for (const auto& entity : metadata["entities"])
    if (entity.contains("command") && entity.contains("field"))
      writable[entity["field"].get<std::string>()] = entity["command"];
  return writable;
}

inline std::string validate_command(const nlohmann::json& metadata, std::string_view payload) {
  // Bounded, NUL-free and without duplicate keys before anything walks it (hepek/json_limits.hpp).
  const auto parsed = json_limits::parse_limited(payload);
  if (!parsed) return "malformed JSON: " + parsed.error() + "; the command must be a JSON object";
  const nlohmann::json& command = *parsed;
  if (!command.is_object()) return "the command must be a JSON object, got " + quote_json(command);
  const nlohmann::json writable = writable_fields(metadata);
  if (command.empty()) return "empty command; writable fields: " + detail::join_keys(writable);
  for (const auto& [key, value] : command.items()) {
    if (!writable.contains(key))
      return "\"" + quote_prefix(key) +
             "\" is not a writable field of this device; writable fields: " + detail::join_keys(writable);
    if (std::string error = detail::check_value(key, writable[key], value); !error.empty()) return error;
  }
  return {};
}

}  // namespace hepek
