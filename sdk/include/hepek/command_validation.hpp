// Validates a /set command against a device's announced entity metadata.
//
// Contract: validate_command(metadata, payload) returns an empty string when `payload` is a JSON object whose every
// key is a writable field of the device and whose every value fits that field's command schema; otherwise a message
// naming the first offending key and what was expected. Pure function, header-only. A message quotes at most
// kQuotedPrefix bytes of a key or value (then "… (N bytes)", hepek/quote.hpp), so a huge rejected command gets a
// short reply. The payload is parsed by json_limits::parse_limited: deep, huge, NUL bytes and duplicate keys are
// malformed (a number too large for a double, 1e400, is a parse error there too). Metadata is any JSON object (a
// plugin announces it): an entity without a string "field" is not writable, and a malformed command schema (no
// string "type", a bound that is not a number, an enum without "values") rejects the command with a message saying
// so; nothing here throws.
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

// What is wrong with a command schema from the device metadata ("" when nothing): the metadata comes from a
// plugin as any JSON object, so its shape is checked here rather than trusted.
inline std::string schema_problem(const std::string& key, const nlohmann::json& schema) {
  const std::string where =
      "\"" + quote_prefix(key) + "\" has a malformed command schema in the device metadata: ";
  if (!schema.is_object()) return where + "not an object";
  if (!schema.contains("type") || !schema["type"].is_string()) return where + "no string \"type\"";
  for (const char* bound : {"min", "max"})
    if (schema.contains(bound) && !schema[bound].is_number())
      return where + "\"" + bound + "\" is not a number";
  if (schema["type"] == "enum" && (!schema.contains("values") || !schema["values"].is_array()))
    return where + "an enum without a \"values\" array";
  if (schema.contains("max_length") && !schema["max_length"].is_number_unsigned())
    return where + "\"max_length\" is not a non-negative integer";
  return {};
}

inline std::string check_value(const std::string& key, const nlohmann::json& schema,
                               const nlohmann::json& value) {
  if (std::string problem = schema_problem(key, schema); !problem.empty()) return problem;
  const std::string type = schema["type"].get<std::string>();
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
    return "\"" + quote_prefix(key) + "\" must be one of " + quote_json(allowed) + ", got " +
           quote_json(value);
  }
  if (type == "string") {
    if (!value.is_string()) return "\"" + quote_prefix(key) + "\" must be a string, got " + quote_json(value);
    if (schema.contains("max_length") &&
        value.get<std::string>().size() > schema["max_length"].get<std::size_t>())
      return "\"" + quote_prefix(key) + "\" is longer than " + schema["max_length"].dump() + " characters";
    return {};
  }
  return "\"" + quote_prefix(key) + "\" has an unknown command type \"" + quote_prefix(type) +
         "\" in the device metadata";
}
}  // namespace detail

// Writable fields of a device: field name -> command schema.
inline nlohmann::json writable_fields(const nlohmann::json& metadata) {
  nlohmann::json writable = nlohmann::json::object();
  if (!metadata.contains("entities") || !metadata["entities"].is_array()) return writable;
  for (const auto& entity : metadata["entities"])
    if (entity.is_object() && entity.contains("command") && entity.contains("field") &&
        entity["field"].is_string())
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
