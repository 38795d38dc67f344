#include "unit_payload.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include <fmt/format.h>
#include <hepek/json_limits.hpp>
#include <hepek/quote.hpp>
#include <nlohmann/json.hpp>

namespace hepek::climate {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

Result<double> parse_number(const std::string& value, double min, double max, const char* kind) {
  double number = 0;
  const char* begin = value.data();
  const char* end = value.data() + value.size();
  const auto [ptr, error] = std::from_chars(begin, end, number);
  if (error != std::errc() || ptr != end || !std::isfinite(number))
    return Result<double>::failure(fmt::format("{} not a number: {}", kind, quote_prefix(value)));
  if (number < min || number > max)
    return Result<double>::failure(
        fmt::format("{} out of range: {} is outside {}..{}", kind, quote_prefix(value), min, max));
  return Result<double>::success(number);
}

}  // namespace

Result<std::string> extract_value(std::string_view payload, const std::string& json_key) {
  using R = Result<std::string>;
  if (payload.size() > kMaxUnitPayload)
    return R::failure(
        fmt::format("oversized payload: {} bytes, at most {}", payload.size(), kMaxUnitPayload));
  if (json_key.empty()) {
    std::string_view text = trim(payload);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
    if (text.empty()) return R::failure("empty payload: nothing to read");
    return R::success(std::string(text));
  }
  const auto parsed = json_limits::parse_limited(payload);
  if (!parsed) return R::failure("not JSON: " + parsed.error());
  if (!parsed->is_object()) return R::failure("not a JSON object: " + quote_prefix(std::string(payload)));
  const auto member = parsed->find(json_key);
  if (member == parsed->end())
    return R::failure(
        fmt::format("JSON key missing: no \"{}\" in {}", json_key, quote_prefix(std::string(payload))));
  if (member->is_string()) return R::success(member->get<std::string>());
  if (member->is_number() || member->is_boolean()) return R::success(member->dump());
  return R::failure(fmt::format("JSON value not a scalar: \"{}\" is {}", json_key, member->type_name()));
}

Result<double> parse_temperature(const std::string& value) {
  return parse_number(value, -50, 100, "temperature");
}

Result<double> parse_power(const std::string& value) {
  return parse_number(value, 0, 1e6, "power");
}

std::string PayloadMap::payload_for(const std::string& name) const {
  const auto it = to_payload_.find(name);
  return it == to_payload_.end() ? name : it->second;
}

Result<std::string> PayloadMap::name_of(const std::string& payload) const {
  const std::string wanted = lower(payload);
  for (const auto& [name, mapped] : to_payload_)
    if (lower(mapped) == wanted) return Result<std::string>::success(name);
  for (const auto& [name, mapped] : to_payload_)
    if (lower(name) == wanted) return Result<std::string>::success(name);
  return Result<std::string>::failure(fmt::format("unknown {}: {}", what_, quote_prefix(payload)));
}

std::string format_temperature(double celsius) {
  const double rounded = std::round(celsius * 10) / 10;
  if (rounded == std::floor(rounded)) return fmt::format("{:.0f}", rounded);
  return fmt::format("{:.1f}", rounded);
}

}  // namespace hepek::climate
