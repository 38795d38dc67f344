#include "reading_value.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include <fmt/format.h>
#include <hepek/json_limits.hpp>
#include <hepek/quote.hpp>
#include <nlohmann/json.hpp>

namespace hepek::mqtt_temperature {
namespace {

constexpr double kLowestC = -100, kHighestC = 150;  // beyond any room, outdoor or tank reading

std::string quoted(std::string_view text) {
  return "\"" + quote_prefix(text, 80) + "\"";
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// Filters that only convert or round a number: harmless to drop, the value is a double either way.
bool is_numeric_filter(std::string_view filter) {
  filter = trim(filter);
  const auto name_end = std::find(filter.begin(), filter.end(), '(');
  const std::string_view name = trim(std::string_view(filter.begin(), name_end));
  return name == "float" || name == "int" || name == "round" || name == "default";
}

std::optional<double> number_of(std::string_view text) {
  text = trim(text);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

Result<ValuePath> ValuePath::from_keys(std::string_view dotted) {
  ValuePath path;
  if (dotted.empty()) return Result<ValuePath>::success(path);
  std::size_t start = 0;
  while (start <= dotted.size()) {
    const std::size_t dot = std::min(dotted.find('.', start), dotted.size());
    const std::string_view key = dotted.substr(start, dot - start);
    if (key.empty())
      return Result<ValuePath>::failure(fmt::format("value_key {}: empty key", quoted(dotted)));
    path.keys.emplace_back(key);
    start = dot + 1;
  }
  return Result<ValuePath>::success(std::move(path));
}

Result<ValuePath> ValuePath::from_template(std::string_view value_template) {
  using R = Result<ValuePath>;
  const auto refuse = [&](const std::string& why) {
    return R::failure(
        fmt::format("value_template {}: {} (supported: {{{{ value }}}}, {{{{ value_json.a.b }}}}, "
                    "{{{{ value_json['a'] }}}}, with | float, | int, | round(n))",
                    quoted(value_template), why));
  };
  std::string_view text = trim(value_template);
  if (text.size() < 4 || text.substr(0, 2) != "{{" || text.substr(text.size() - 2) != "}}")
    return refuse("not a single {{ ... }} expression");
  text = trim(text.substr(2, text.size() - 4));
  const std::size_t bar = text.find('|');
  std::string_view expression = trim(text.substr(0, bar));
  for (std::size_t at = bar; at != std::string_view::npos;) {
    const std::size_t next = text.find('|', at + 1);
    if (!is_numeric_filter(text.substr(at + 1, next == std::string_view::npos ? next : next - at - 1)))
      return refuse("a filter other than float, int, round or default");
    at = next;
  }
  ValuePath path;
  if (expression == "value") return R::success(path);
  constexpr std::string_view kRoot = "value_json";
  if (expression.substr(0, kRoot.size()) != kRoot) return refuse("neither value nor value_json");
  expression.remove_prefix(kRoot.size());
  while (!expression.empty()) {
    if (expression.front() == '.') {
      expression.remove_prefix(1);
      std::size_t n = 0;
      while (n < expression.size() && is_key_char(expression[n])) ++n;
      if (n == 0) return refuse("an empty key after '.'");
      path.keys.emplace_back(expression.substr(0, n));
      expression.remove_prefix(n);
    } else if (expression.front() == '[' && expression.size() >= 4 &&
               (expression[1] == '\'' || expression[1] == '"')) {
      const char quote_char = expression[1];
      const std::size_t close = expression.find(quote_char, 2);
      if (close == std::string_view::npos || close + 1 >= expression.size() || expression[close + 1] != ']')
        return refuse("an unterminated ['key']");
      path.keys.emplace_back(expression.substr(2, close - 2));
      expression.remove_prefix(close + 2);
    } else {
      return refuse("an expression, not a key path");
    }
  }
  if (path.keys.empty()) return refuse("value_json without a key");
  return R::success(std::move(path));
}

std::string ValuePath::describe() const {
  if (keys.empty()) return "the payload";
  std::string text = "value_json";
  for (const auto& key : keys) text += "." + key;
  return text;
}

Result<TemperatureUnit> parse_unit(std::string_view text) {
  const std::string_view unit = trim(text);
  if (unit == "°C" || unit == "C" || unit == "degC" || unit == "celsius" || unit == "℃")
    return Result<TemperatureUnit>::success(TemperatureUnit::celsius);
  if (unit == "°F" || unit == "F" || unit == "degF" || unit == "fahrenheit" || unit == "℉")
    return Result<TemperatureUnit>::success(TemperatureUnit::fahrenheit);
  if (unit == "K" || unit == "kelvin") return Result<TemperatureUnit>::success(TemperatureUnit::kelvin);
  return Result<TemperatureUnit>::failure(
      fmt::format("unit {} is not a temperature unit (°C, °F or K)", quoted(text)));
}

double to_celsius(double value, TemperatureUnit unit) {
  switch (unit) {
    case TemperatureUnit::fahrenheit:
      return (value - 32.0) * 5.0 / 9.0;
    case TemperatureUnit::kelvin:
      return value - 273.15;
    case TemperatureUnit::celsius:
      break;
  }
  return value;
}

Result<double> read_celsius(std::string_view payload, const ValuePath& path, TemperatureUnit unit) {
  using R = Result<double>;
  std::optional<double> value;
  if (path.keys.empty()) {
    value = number_of(payload);
    if (!value) return R::failure(fmt::format("the payload {} is not a number", quoted(payload)));
  } else {
    const auto json = json_limits::parse_limited(payload);
    if (!json) return R::failure("the payload: " + json.error());
    const nlohmann::json* at = &*json;
    for (const auto& key : path.keys) {
      if (!at->is_object() || !at->contains(key))
        return R::failure(fmt::format("the payload has no {}: {}", path.describe(), quoted(payload)));
      at = &(*at)[key];
    }
    if (at->is_number())
      value = at->get<double>();
    else if (at->is_string())
      value = number_of(at->get<std::string>());
    if (!value || !std::isfinite(*value))
      return R::failure(fmt::format("{} is not a number: {}", path.describe(), quote_json(*at)));
  }
  const double celsius = to_celsius(*value, unit);
  if (celsius < kLowestC || celsius > kHighestC)
    return R::failure(fmt::format("{} °C is outside {}..{} °C", celsius, kLowestC, kHighestC));
  return R::success(celsius);
}

std::optional<std::string> read_text(std::string_view payload, const ValuePath& path) {
  if (path.keys.empty()) return std::string(payload);
  const auto json = json_limits::parse_limited(payload);
  if (!json) return std::nullopt;
  const nlohmann::json* at = &*json;
  for (const auto& key : path.keys) {
    if (!at->is_object() || !at->contains(key)) return std::nullopt;
    at = &(*at)[key];
  }
  if (at->is_string()) return at->get<std::string>();
  if (at->is_number() || at->is_boolean()) return at->dump();
  return std::nullopt;
}

}  // namespace hepek::mqtt_temperature
