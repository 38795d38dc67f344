#include "discovery_sensor.hpp"

#include <fmt/format.h>
#include <hepek/json_limits.hpp>
#include <nlohmann/json.hpp>

namespace hepek::mqtt_temperature {
namespace {

using R = Result<std::optional<DiscoveredSensor>>;

// The value of a key given in long or abbreviated form, as a string; nullopt when absent. A value that is not a
// string is an error naming the key.
Result<std::optional<std::string>> text(const nlohmann::json& doc, const char* name,
                                        const char* abbreviation) {
  using T = Result<std::optional<std::string>>;
  for (const char* key : {name, abbreviation}) {
    const auto it = doc.find(key);
    if (it == doc.end()) continue;
    if (!it->is_string()) return T::failure(fmt::format("discovery key \"{}\" is not a string", key));
    return T::success(it->get<std::string>());
  }
  return T::success(std::nullopt);
}

// HA's `~`: a topic that starts or ends with it takes the base topic there.
std::string expand(const std::string& topic, const std::string& base) {
  if (base.empty()) return topic;
  if (!topic.empty() && topic.front() == '~') return base + topic.substr(1);
  if (!topic.empty() && topic.back() == '~') return topic.substr(0, topic.size() - 1) + base;
  return topic;
}

}  // namespace

Result<std::optional<DiscoveredSensor>> parse_discovery_sensor(std::string_view payload) {
  if (payload.empty()) return R::success(std::nullopt);
  const auto parsed = json_limits::parse_limited(payload);
  if (!parsed) return R::failure("discovery config: " + parsed.error());
  const nlohmann::json& doc = *parsed;
  if (!doc.is_object()) return R::failure("discovery config is not a JSON object");

  std::string problem;
  const auto get = [&](const char* name, const char* abbreviation) -> std::string {
    auto value = text(doc, name, abbreviation);
    if (!value) {
      if (problem.empty()) problem = value.error();
      return {};
    }
    return value->value_or("");
  };
  const std::string base = get("~", "~");
  DiscoveredSensor sensor;
  sensor.state_topic = expand(get("state_topic", "stat_t"), base);
  const std::string device_class = get("device_class", "dev_cla");
  const std::string value_template = get("value_template", "val_tpl");
  const std::string unit = get("unit_of_measurement", "unit_of_meas");
  sensor.name = get("name", "name");
  sensor.unique_id = get("unique_id", "uniq_id");
  sensor.availability_topic = expand(get("availability_topic", "avty_t"), base);
  if (const std::string on = get("payload_available", "pl_avail"); !on.empty()) sensor.payload_available = on;
  if (const std::string off = get("payload_not_available", "pl_not_avail"); !off.empty())
    sensor.payload_not_available = off;
  // A list of availability topics (zigbee2mqtt announces the bridge's and the device's): the device's own is
  // the last one; each entry may carry its own payloads.
  for (const char* key : {"availability", "avty"}) {
    const auto list = doc.find(key);
    if (list == doc.end()) continue;
    if (!list->is_array()) return R::failure(fmt::format("discovery key \"{}\" is not a list", key));
    for (const auto& entry : *list) {
      if (!entry.is_object())
        return R::failure(fmt::format("discovery key \"{}\" has an entry that is not an object", key));
      auto entry_topic = text(entry, "topic", "t");
      if (!entry_topic || !*entry_topic)
        return R::failure(fmt::format("discovery key \"{}\" has an entry without a topic", key));
      sensor.availability_topic = expand(**entry_topic, base);
      if (auto on = text(entry, "payload_available", "pl_avail"); on && *on) sensor.payload_available = **on;
      if (auto off = text(entry, "payload_not_available", "pl_not_avail"); off && *off)
        sensor.payload_not_available = **off;
      sensor.availability_value = {};
      if (auto tpl = text(entry, "value_template", "val_tpl"); tpl && *tpl) {
        auto path = ValuePath::from_template(**tpl);
        if (!path) return R::failure(fmt::format("discovery key \"{}\": {}", key, path.error()));
        sensor.availability_value = std::move(*path);
      }
    }
  }
  if (!problem.empty()) return R::failure(problem);

  if (device_class != "temperature")
    return R::failure(
        fmt::format("discovery config has device_class \"{}\", not \"temperature\"", device_class));
  if (sensor.state_topic.empty()) return R::failure("discovery config has no state_topic (stat_t)");
  if (!value_template.empty()) {
    auto path = ValuePath::from_template(value_template);
    if (!path) return R::failure("discovery config: " + path.error());
    sensor.value = std::move(*path);
  }
  if (!unit.empty()) {
    const auto parsed_unit = parse_unit(unit);
    if (!parsed_unit) return R::failure("discovery config: " + parsed_unit.error());
    sensor.unit = *parsed_unit;
  }
  return R::success(std::move(sensor));
}

}  // namespace hepek::mqtt_temperature
