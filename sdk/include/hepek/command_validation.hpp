// Validates a /set command against a device's announced entity metadata.
//
// Contract: validate_command(metadata, payload) returns an empty string when `payload` is a JSON object whose every
// key is a writable field of the device and whose every value fits that field's command schema; otherwise a message
// naming the first offending key and what was expected. Pure function, header-only. A message quotes at most
// kQuotedPrefix bytes of a key or value (then "… (N bytes)"), so a huge rejected command gets a short reply.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hepek {

inline constexpr std::size_t kQuotedPrefix = 200;

// `text` as given when it is at most `limit` bytes, else its first `limit` bytes (cut back to a UTF-8
// character boundary) followed by "… (N bytes)". For quoting outside input in error replies and log lines.
inline std::string quote_prefix(std::string_view text, std::size_t limit = kQuotedPrefix) {
  if (text.size() <= limit) return std::string(text);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "\xE2\x80\xA6 (" + std::to_string(text.size()) + " bytes)";
}

namespace detail {
// A JSON value as quoted in an error message: its serialisation, shortened by quote_prefix().
inline std::string shown(const nlohmann::json& value) {
  return quote_prefix(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

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
      return "\"" + quote_prefix(key) + "\": " + shown(value) + " is below the minimum " +
             schema["min"].dump();
    if (schema.contains("max") && number > schema["max"].get<double>())
      return "\"" + quote_prefix(key) + "\": " + shown(value) + " is above the maximum " +
             schema["max"].dump();
    return {};
  };
  if (type == "number") {
    if (!value.is_number()) return "\"" + quote_prefix(key) + "\" must be a number, got " + shown(value);
    return range_error(value.get<double>());
  }
  if (type == "integer") {
    if (!value.is_number_integer())
      return "\"" + quote_prefix(key) + "\" must be an integer, got " + shown(value);
    return range_error(value.get<double>());
  }
  if (type == "boolean") {
    if (!value.is_boolean())
      return "\"" + quote_prefix(key) + "\" must be true or false, got " + shown(value);
    return {};
  }
  if (type == "enum") {
    const auto& allowed = schema["values"];
    if (value.is_string()) {
      for (const auto& option : allowed)
        if (option == value) return {};
    }
    return "\"" + quote_prefix(key) + "\" must be one of " + allowed.dump() + ", got " + shown(value);
  }
  if (type == "string") {
    if (!value.is_string()) return "\"" + quote_prefix(key) + "\" must be a string, got " + shown(value);
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
  nlohmann::json command = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (command.is_discarded()) return "malformed JSON: the command must be a JSON object";
  if (!command.is_object()) return "the command must be a JSON object, got " + detail::shown(command);
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
