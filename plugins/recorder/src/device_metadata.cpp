#include "device_metadata.hpp"

#include <fmt/format.h>

#include "hepek/quote.hpp"

namespace hepek::recorder {
namespace {

std::string string_member(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool declares_number(const FieldMetadata& field, const nlohmann::json& entity) {
  if (!field.unit.empty() || !field.state_class.empty()) return true;
  const auto command = entity.find("command");
  if (command == entity.end() || !command->is_object()) return false;
  const std::string type = string_member(*command, "type");
  return type == "number" || type == "integer";
}

}  // namespace

const FieldMetadata* DeviceMetadata::find(std::string_view field) const {
  for (const auto& candidate : fields)
    if (candidate.field == field) return &candidate;
  return nullptr;
}

Result<DeviceMetadata> parse_device_metadata(std::string_view device_from_topic, std::string_view payload) {
  using R = Result<DeviceMetadata>;
  const std::string device(device_from_topic);
  nlohmann::json json = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return R::failure(fmt::format("config of device '{}' is not valid JSON", device));
  if (!json.is_object()) return R::failure(fmt::format("config of device '{}' is not a JSON object", device));
  const auto schema = json.find("schema");
  if (schema == json.end() || !schema->is_number_integer())
    return R::failure(fmt::format("config of device '{}' has no integer \"schema\"", device));
  // Version 2 only adds "interfaces", which the recorder does not need: it reads both.
  if (schema->get<int64_t>() != 1 && schema->get<int64_t>() != 2)
    return R::failure(fmt::format("config of device '{}' has schema {}, this recorder reads schemas 1 and 2",
                                  device, schema->get<int64_t>()));
  const auto entities = json.find("entities");
  if (entities == json.end() || !entities->is_array())
    return R::failure(fmt::format("config of device '{}' has no \"entities\" array", device));

  DeviceMetadata metadata;
  metadata.name = device;
  metadata.title = string_member(json, "name");
  for (std::size_t i = 0; i < entities->size(); ++i) {
    const auto& entity = (*entities)[i];
    if (!entity.is_object())
      return R::failure(fmt::format("config of device '{}': entities[{}] is not an object", device, i));
    FieldMetadata field;
    field.field = string_member(entity, "field");
    if (field.field.empty())
      return R::failure(
          fmt::format("config of device '{}': entities[{}] has no \"field\" string", device, i));
    if (metadata.find(field.field))
      return R::failure(fmt::format("config of device '{}': field '{}' is declared twice", device,
                                    quote_prefix(field.field, 64)));
    field.unit = string_member(entity, "unit");
    field.device_class = string_member(entity, "device_class");
    field.state_class = string_member(entity, "state_class");
    const auto recorded = entity.find("recorded");
    if (recorded != entity.end()) {
      if (!recorded->is_boolean())
        return R::failure(fmt::format("config of device '{}': \"recorded\" of field '{}' is not a boolean",
                                      device, quote_prefix(field.field, 64)));
      field.recorded = recorded->get<bool>();
    }
    field.numeric = declares_number(field, entity);
    metadata.fields.push_back(std::move(field));
  }
  metadata.raw = std::move(json);
  return R::success(std::move(metadata));
}

}  // namespace hepek::recorder
