#include "model_definition.hpp"

#include <array>
#include <map>
#include <memory>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "embedded_models.hpp"

namespace hepek::sunspec {
namespace {

struct TypeInfo {
  PointType type;
  std::string_view name;
  uint16_t registers;
};

constexpr std::array<TypeInfo, 22> kTypes = {{
    {PointType::int16, "int16", 1},
    {PointType::uint16, "uint16", 1},
    {PointType::count, "count", 1},
    {PointType::acc16, "acc16", 1},
    {PointType::enum16, "enum16", 1},
    {PointType::bitfield16, "bitfield16", 1},
    {PointType::pad, "pad", 1},
    {PointType::sunssf, "sunssf", 1},
    {PointType::int32, "int32", 2},
    {PointType::uint32, "uint32", 2},
    {PointType::acc32, "acc32", 2},
    {PointType::enum32, "enum32", 2},
    {PointType::bitfield32, "bitfield32", 2},
    {PointType::ipaddr, "ipaddr", 2},
    {PointType::float32, "float32", 2},
    {PointType::int64, "int64", 4},
    {PointType::uint64, "uint64", 4},
    {PointType::acc64, "acc64", 4},
    {PointType::float64, "float64", 4},
    {PointType::eui48, "eui48", 4},
    {PointType::ipv6addr, "ipv6addr", 8},
    {PointType::string, "string", 0},
}};

using Json = nlohmann::json;

// A constant scale factor is written as a number or a numeric string ("sf": -1 or "sf": "-2").
std::optional<int> constant_scale(const Json& sf) {
  if (sf.is_number_integer()) return sf.get<int>();
  if (!sf.is_string()) return std::nullopt;
  const std::string text = sf.get<std::string>();
  if (text.empty()) return std::nullopt;
  size_t i = text[0] == '-' || text[0] == '+' ? 1 : 0;
  if (i == text.size() || text.size() > 4) return std::nullopt;
  for (; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  return std::stoi(text);
}

Status parse_point(const Json& json, const std::string& where, PointDefinition& out) {
  if (!json.is_object()) return Status::failure(where + " is not an object");
  const auto name = json.find("name");
  if (name == json.end() || !name->is_string() || name->get<std::string>().empty())
    return Status::failure(where + " has no \"name\"");
  out.name = name->get<std::string>();
  const std::string at = where + " (\"" + out.name + "\")";
  const auto type = json.find("type");
  if (type == json.end() || !type->is_string()) return Status::failure(at + " has no \"type\"");
  const auto parsed = point_type_from_name(type->get<std::string>());
  if (!parsed) return Status::failure(at + ": unknown type \"" + type->get<std::string>() + "\"");
  out.type = *parsed;
  const uint16_t fixed = point_type_registers(out.type);
  const auto size = json.find("size");
  if (size != json.end()) {
    if (!size->is_number_unsigned() || size->get<uint64_t>() == 0 || size->get<uint64_t>() > 0xFFFF)
      return Status::failure(at + ": \"size\" must be a positive register count");
    out.size = static_cast<uint16_t>(size->get<uint64_t>());
  } else if (fixed == 0) {
    return Status::failure(at + ": a string needs a \"size\"");
  } else {
    out.size = fixed;
  }
  if (fixed != 0 && out.size != fixed)
    return Status::failure(fmt::format("{}: \"size\" {} contradicts type {} ({} registers)", at, out.size,
                                       point_type_name(out.type), fixed));
  if (const auto sf = json.find("sf"); sf != json.end() && !sf->is_null()) {
    out.scale_constant = constant_scale(*sf);
    if (!out.scale_constant) {
      if (!sf->is_string()) return Status::failure(at + ": \"sf\" is neither a point name nor a number");
      out.scale_factor = sf->get<std::string>();
    }
  }
  if (const auto units = json.find("units"); units != json.end() && units->is_string())
    out.units = units->get<std::string>();
  if (const auto access = json.find("access"); access != json.end() && access->is_string())
    out.writable = access->get<std::string>() == "RW";
  if (const auto symbols = json.find("symbols"); symbols != json.end()) {
    if (!symbols->is_array()) return Status::failure(at + ": \"symbols\" is not an array");
    for (const auto& symbol : *symbols) {
      if (!symbol.is_object() || !symbol.contains("name") || !symbol["name"].is_string() ||
          !symbol.contains("value") || !symbol["value"].is_number_integer())
        return Status::failure(at + ": a symbol needs a string \"name\" and an integer \"value\"");
      out.symbols.push_back({symbol["name"].get<std::string>(), symbol["value"].get<int64_t>()});
    }
  }
  return Status::success();
}

Status parse_group(const Json& json, const std::string& where, int depth, GroupDefinition& out) {
  if (depth > 8) return Status::failure(where + ": groups nested deeper than 8 levels");
  if (!json.is_object()) return Status::failure(where + " is not an object");
  const auto name = json.find("name");
  if (name == json.end() || !name->is_string()) return Status::failure(where + " has no \"name\"");
  out.name = name->get<std::string>();
  const std::string at = where + " (\"" + out.name + "\")";
  if (const auto count = json.find("count"); count != json.end() && !count->is_null()) {
    if (count->is_number_unsigned()) {
      out.constant_count = static_cast<uint32_t>(std::min<uint64_t>(count->get<uint64_t>(), 0xFFFF));
      out.repeat =
          out.constant_count == 0 ? GroupDefinition::Repeat::fill : GroupDefinition::Repeat::constant;
    } else if (count->is_string() && !count->get<std::string>().empty()) {
      out.repeat = GroupDefinition::Repeat::counted;
      out.count_point = count->get<std::string>();
    } else {
      return Status::failure(at + ": \"count\" is neither a number nor a point name");
    }
  }
  if (const auto points = json.find("points"); points != json.end()) {
    if (!points->is_array()) return Status::failure(at + ": \"points\" is not an array");
    for (size_t i = 0; i < points->size(); ++i) {
      PointDefinition point;
      if (Status s = parse_point((*points)[i], fmt::format("{}.points[{}]", at, i), point); !s) return s;
      out.points.push_back(std::move(point));
    }
  }
  if (const auto groups = json.find("groups"); groups != json.end()) {
    if (!groups->is_array()) return Status::failure(at + ": \"groups\" is not an array");
    for (size_t i = 0; i < groups->size(); ++i) {
      GroupDefinition group;
      if (Status s = parse_group((*groups)[i], fmt::format("{}.groups[{}]", at, i), depth + 1, group); !s)
        return s;
      out.groups.push_back(std::move(group));
    }
  }
  return Status::success();
}

uint32_t fixed_registers(const GroupDefinition& group) {
  uint32_t total = group.points_registers();
  for (const auto& nested : group.groups) {
    if (nested.repeat == GroupDefinition::Repeat::once)
      total += fixed_registers(nested);
    else if (nested.repeat == GroupDefinition::Repeat::constant)
      total += nested.constant_count * fixed_registers(nested);
  }
  return total;
}

bool variable(const GroupDefinition& group) {
  for (const auto& nested : group.groups)
    if (nested.repeat == GroupDefinition::Repeat::fill || nested.repeat == GroupDefinition::Repeat::counted ||
        variable(nested))
      return true;
  return false;
}

}  // namespace

std::optional<PointType> point_type_from_name(std::string_view name) {
  for (const auto& info : kTypes)
    if (info.name == name) return info.type;
  return std::nullopt;
}

std::string_view point_type_name(PointType type) {
  for (const auto& info : kTypes)
    if (info.type == type) return info.name;
  return "?";
}

uint16_t point_type_registers(PointType type) {
  for (const auto& info : kTypes)
    if (info.type == type) return info.registers;
  return 0;
}

uint32_t GroupDefinition::points_registers() const {
  uint32_t total = 0;
  for (const auto& point : points) total += point.size;
  return total;
}

const PointDefinition* GroupDefinition::point(std::string_view wanted) const {
  for (const auto& p : points)
    if (p.name == wanted) return &p;
  return nullptr;
}

uint32_t ModelDefinition::fixed_length() const {
  const uint32_t all = fixed_registers(root);
  return all >= 2 ? all - 2 : 0;
}

bool ModelDefinition::has_variable_groups() const {
  return variable(root);
}

Result<ModelDefinition> parse_model_definition(std::string_view json_text) {
  using R = Result<ModelDefinition>;
  const Json json = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object())
    return R::failure("the model definition is not a JSON object");
  ModelDefinition model;
  const auto id = json.find("id");
  if (id == json.end() || !id->is_number_unsigned() || id->get<uint64_t>() > 0xFFFF)
    return R::failure("the model definition has no \"id\" (0-65535)");
  model.id = static_cast<uint16_t>(id->get<uint64_t>());
  const auto group = json.find("group");
  if (group == json.end()) return R::failure(fmt::format("model {}: no \"group\"", model.id));
  if (Status s = parse_group(*group, fmt::format("model {} group", model.id), 0, model.root); !s)
    return R::failure(s.error());
  const auto& points = model.root.points;
  if (points.size() < 2 || points[0].name != "ID" || points[1].name != "L")
    return R::failure(fmt::format("model {}: the first two points must be ID and L", model.id));
  return R::success(std::move(model));
}

const ModelDefinition* find_model(uint16_t id) {
  static std::mutex mutex;
  static std::map<uint16_t, std::unique_ptr<ModelDefinition>> cache;  // nullptr: looked up, not there
  std::lock_guard lock(mutex);
  if (const auto it = cache.find(id); it != cache.end()) return it->second.get();
  std::unique_ptr<ModelDefinition> found;
  for (const auto& embedded : embedded_model_texts()) {
    if (embedded.id != id) continue;
    auto parsed = parse_model_definition(embedded.json);
    // The embedded definitions are checked by a unit test; a broken one is simply unknown here.
    if (parsed && parsed->id == id) found = std::make_unique<ModelDefinition>(std::move(parsed).value());
  }
  return cache.emplace(id, std::move(found)).first->second.get();
}

std::vector<uint16_t> known_model_ids() {
  std::vector<uint16_t> ids;
  for (const auto& embedded : embedded_model_texts()) ids.push_back(embedded.id);
  return ids;
}

}  // namespace hepek::sunspec
