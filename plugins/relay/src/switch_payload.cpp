#include "switch_payload.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include <nlohmann/json.hpp>

namespace hepek::relay {
namespace {

std::string normalise(std::string_view text) {
  std::size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  std::string out(text.substr(begin, end - begin));
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

std::optional<bool> parse_switch_state(std::string_view payload, std::string_view on_payload,
                                       std::string_view off_payload) {
  const std::string value = normalise(payload);
  if (value == normalise(on_payload)) return true;
  if (value == normalise(off_payload)) return false;
  const nlohmann::json object = nlohmann::json::parse(payload, nullptr, false);
  if (object.is_discarded() || !object.is_object()) return std::nullopt;
  for (const char* key : {"POWER", "state", "output", "ison"}) {
    if (!object.contains(key)) continue;
    const auto& field = object[key];
    if (field.is_boolean()) return field.get<bool>();
    if (field.is_string()) return parse_switch_state(field.get<std::string>(), on_payload, off_payload);
  }
  return std::nullopt;
}

}  // namespace hepek::relay
