// Field readers for the payload types' parse(): each returns the value or an error naming the field as
// "<what>.<key>" (e.g. "hepek/tariff/prices: prices[3].length_s is not an integer").
//
// Contract: header-only, pure. Integers must be JSON integers, or JSON numbers with an integral value (a
// producer that writes 1500.0 is understood); anything else is an error, never a silent truncation.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "../json_limits.hpp"
#include "../result.hpp"

namespace hepek::payloads::fields {

inline std::string path(const std::string& where, const char* key) {
  return where.empty() ? std::string(key) : where + "." + key;
}

inline Result<std::int64_t> integer_value(const nlohmann::json& value, const std::string& name) {
  using R = Result<std::int64_t>;
  if (value.is_number_integer()) return R::success(value.get<std::int64_t>());
  if (value.is_number_float()) {
    const double number = value.get<double>();
    if (std::isfinite(number) && std::floor(number) == number && std::fabs(number) < 9.0e18)
      return R::success(static_cast<std::int64_t>(number));
    return R::failure(name + " is " + value.dump() + ", not an integer");
  }
  return R::failure(name + " is not an integer" + (value.is_null() ? "" : " (got " + value.dump() + ")"));
}

inline Result<std::int64_t> integer(const nlohmann::json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end()) return Result<std::int64_t>::failure(path(where, key) + " is missing");
  return integer_value(*it, path(where, key));
}

inline Result<std::optional<std::int64_t>> optional_integer(const nlohmann::json& object, const char* key,
                                                            const std::string& where) {
  using R = Result<std::optional<std::int64_t>>;
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return R::success(std::nullopt);
  auto value = integer_value(*it, path(where, key));
  if (!value) return R::failure(value.error());
  return R::success(*value);
}

inline Result<std::string> string(const nlohmann::json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end()) return Result<std::string>::failure(path(where, key) + " is missing");
  if (!it->is_string()) return Result<std::string>::failure(path(where, key) + " is not a string");
  return Result<std::string>::success(it->get<std::string>());
}

inline Result<std::string> optional_string(const nlohmann::json& object, const char* key,
                                           const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return Result<std::string>::success({});
  if (!it->is_string()) return Result<std::string>::failure(path(where, key) + " is not a string");
  return Result<std::string>::success(it->get<std::string>());
}

inline Result<bool> optional_boolean(const nlohmann::json& object, const char* key, const std::string& where,
                                     bool fallback = false) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return Result<bool>::success(fallback);
  if (!it->is_boolean()) return Result<bool>::failure(path(where, key) + " is not a boolean");
  return Result<bool>::success(it->get<bool>());
}

// A non-negative integer as a decimal string (ERGON base units: money is never a float).
inline Result<std::string> decimal_string(const nlohmann::json& object, const char* key,
                                          const std::string& where) {
  auto text = string(object, key, where);
  if (!text) return text;
  const std::string& digits = *text;
  bool ok = !digits.empty() && digits.size() <= 78;  // 2^256 has 78 digits
  for (const char c : digits) ok = ok && c >= '0' && c <= '9';
  if (!ok || (digits.size() > 1 && digits[0] == '0'))
    return Result<std::string>::failure(path(where, key) + " \"" + digits +
                                        "\" is not a decimal string of base units");
  return text;
}

// Reads several fields of one object and keeps the first error, so a parse() reads every field in order and
// checks once: `Reader r(item, "prices[3]"); p.start_ms = r.integer("start_ms"); ... if (!r.ok()) fail(r.error())`.
// A field that fails reads as its type's empty value; only the first error (in read order) is kept.
class Reader {
 public:
  Reader(const nlohmann::json& object, std::string where) : object_(object), where_(std::move(where)) {}
  std::int64_t integer(const char* key) { return take(fields::integer(object_, key, where_)); }
  std::optional<std::int64_t> optional_integer(const char* key) {
    return take(fields::optional_integer(object_, key, where_));
  }
  std::string string(const char* key) { return take(fields::string(object_, key, where_)); }
  std::string optional_string(const char* key) { return take(fields::optional_string(object_, key, where_)); }
  bool optional_boolean(const char* key, bool fallback = false) {
    return take(fields::optional_boolean(object_, key, where_, fallback));
  }
  std::string decimal_string(const char* key) { return take(fields::decimal_string(object_, key, where_)); }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  template <typename T>
  T take(Result<T> result) {
    if (result) return std::move(result).value();
    if (error_.empty()) error_ = result.error();
    return T{};
  }
  const nlohmann::json& object_;
  std::string where_;
  std::string error_;
};

// Parses text into a JSON object, naming `what` when it is not one.
// Text is bounded (hepek/json_limits.hpp) before the recursive parser sees it.
inline Result<nlohmann::json> object_from_text(std::string_view text, const std::string& what) {
  if (const auto limits = json_limits::check(text); !limits.ok())
    return Result<nlohmann::json>::failure(what + ": " + limits.error());
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Result<nlohmann::json>::failure(what + " is not valid JSON");
  if (!json.is_object()) return Result<nlohmann::json>::failure(what + " is not a JSON object");
  return Result<nlohmann::json>::success(std::move(json));
}

}  // namespace hepek::payloads::fields
