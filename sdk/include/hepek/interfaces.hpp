// Device interfaces (topic contract version 2): named sets of canonical state fields and commands a device
// implements, declared in its hepek/<device>/config as "interfaces": [{"name": "grid_meter", "role":
// "grid"}]. A consumer finds a device by interface and role from its retained config and reads the canonical
// fields, never by guessing a field name. sdk/docs/topics.md lists the same catalogue in prose.
//
// Contract: header-only, pure; the catalogue is immutable after first use (thread-safe to read).
//  - catalogue() / find_interface(name): the interfaces with their fields (unit, Home Assistant device_class
//  and
//    state_class, sign convention), commands and allowed roles.
//  - canonical_entities(name): the entities of an interface's required fields and commands, to build a
//    conforming Device (a producer adds optional ones or narrows command ranges itself).
//  - check_implements(config, name, role): whether an announced config document declares the interface (and
//    role, when given) and has every required field with the interface's unit and classes and every required
//    command with the right type. The error names the device, the interface and the field.
//  - DeviceDirectory: fed retained config documents, answers "which devices implement X with role R".
// Bad input (non-JSON, wrong shapes) is an error result, never an exception.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "entity.hpp"
#include "result.hpp"

namespace hepek::interfaces {

inline constexpr std::string_view kGridMeter = "grid_meter";
inline constexpr std::string_view kPvInverter = "pv_inverter";
inline constexpr std::string_view kBattery = "battery";
inline constexpr std::string_view kLoad = "load";
inline constexpr std::string_view kClimate = "climate";
inline constexpr std::string_view kTemperatureSensor = "temperature_sensor";
inline constexpr std::string_view kSwitch = "switch";
inline constexpr std::string_view kFlexibleLoad = "flexible_load";
inline constexpr std::string_view kPosition = "position";
inline constexpr std::string_view kLocation = "location";

// The grid meter at the connection point (what billing uses) and a meter behind it.
inline constexpr std::string_view kRoleGrid = "grid";
inline constexpr std::string_view kRoleSubmeter = "submeter";

// A canonical state field.
struct FieldSpec {
  std::string field;
  std::string unit;          // "" for none
  std::string device_class;  // Home Assistant; "" for none
  std::string state_class;   // Home Assistant; "" for none
  bool required = true;
  std::string meaning;  // including the sign convention
};

// A canonical command (a writable field of /set).
struct CommandSpec {
  std::string field;
  std::string type;  // the command schema type: "number", "integer", "boolean", "enum"
  std::string unit;
  double min = 0, max = 0;          // the default range canonical_entities() announces (number/integer)
  std::vector<std::string> values;  // for "enum"
  bool required = true;
  std::string meaning;
};

struct InterfaceSpec {
  std::string name;
  std::string summary;
  std::vector<FieldSpec> fields;
  std::vector<CommandSpec> commands;
  std::vector<std::string> roles;  // allowed roles; empty: the interface has none
};

inline const std::vector<InterfaceSpec>& catalogue() {
  static const std::vector<InterfaceSpec> kAll = {
      {"grid_meter",
       "the meter between the home and the grid",
       {{"power", "W", "power", "measurement", true, "net grid power, + = import, - = export"},
        {"energy_import", "Wh", "energy", "total_increasing", true, "cumulative energy imported"},
        {"energy_export", "Wh", "energy", "total_increasing", false, "cumulative energy exported"}},
       {},
       {"grid", "submeter"}},
      {"pv_inverter",
       "a PV inverter",
       {{"power", "W", "power", "measurement", true, "AC power produced, + = production"},
        {"energy", "Wh", "energy", "total_increasing", true, "cumulative energy produced"}},
       {{"limit_w", "number", "W", 0, 1e7, {}, false, "curtailment: produce at most this power"}},
       {}},
      {"battery",
       "a home battery the planner drives",
       {{"soc", "%", "battery", "measurement", true, "state of charge, 0-100"},
        {"power", "W", "power", "measurement", true, "AC power, + = discharge, - = charge"}},
       {{"setpoint_w", "number", "W", -1e6, 1e6, {}, true, "power to hold, + = discharge (BatterySetpoint)"},
        {"expires_s",
         "number",
         "s",
         1,
         7 * 86400,
         {},
         true,
         "the setpoint lapses after this long; the battery returns to self-consumption"}},
       {}},
      {"load",
       "a consumer that is measured, not controlled (the household, an appliance)",
       {{"power", "W", "power", "measurement", true, "power consumed, + = consumption"},
        {"energy", "Wh", "energy", "total_increasing", true, "cumulative energy consumed"}},
       {},
       {"household", "appliance"}},
      {"climate",
       "an air conditioner, heat pump or thermostat (heating or cooling)",
       {{"temperature", "°C", "temperature", "measurement", true, "measured room (indoor) temperature"},
        {"target_temperature", "°C", "temperature", "measurement", true, "the set temperature in effect"},
        {"hvac_mode", "", "", "", false, "the mode in effect: off, heat, cool or auto (Home Assistant's)"},
        {"hvac_action", "", "", "", false,
         "what the unit does now: off, idle, heating, cooling or fan (Home Assistant's hvac_action)"},
        {"power", "W", "power", "measurement", false, "electric power drawn, measured or estimated"},
        {"power_estimated", "", "", "", false, "true when power is estimated, not measured"},
        {"comfort_min", "°C", "temperature", "measurement", false,
         "the comfort band in effect now: lower edge"},
        {"comfort_max", "°C", "temperature", "measurement", false,
         "the comfort band in effect now: upper edge"},
        {"override_until", "", "timestamp", "", false,
         "ISO 8601 end of a command with expires_s; null when the user's own setpoint is in effect"}},
       {{"target_temperature", "number", "°C", 5, 35, {}, true, "set the temperature"},
        {"hvac_mode", "enum", "", 0, 0, {"off", "heat", "cool", "auto"}, false, "Home Assistant's HVAC mode"},
        {"expires_s",
         "number",
         "s",
         1,
         7 * 86400,
         {},
         false,
         "with it the command is a temporary override that lapses back to the user's own setpoint and mode; "
         "without it the command changes the user's own setting"}},
       {}},
      {"temperature_sensor",
       "a temperature sensor",
       {{"temperature", "°C", "temperature", "measurement", true, "measured temperature"}},
       {},
       {"indoor", "outdoor"}},
      {"switch",
       "an on/off switch (the supply relay, a smart plug)",
       {},
       {{"state", "enum", "", 0, 0, {"on", "off"}, true, "switch on or off; the state echoes it"}},
       {"supply", "appliance"}},
      {"flexible_load",
       "a load whose running time can be shifted (dishwasher, washing machine, EV charger, boiler)",
       {{"power", "W", "power", "measurement", true, "power consumed"},
        {"run_state", "", "", "", false,
         "idle (no run pending), waiting (a run pending, not started), running, paused (interrupted), done"},
        {"rated_power", "W", "power", "", false, "the power while running, for planning"},
        {"remaining_run_s", "s", "duration", "measurement", false, "run time still needed by the deadline"},
        {"earliest_start", "", "timestamp", "", false, "ISO 8601: the pending run may start from then"},
        {"deadline", "", "timestamp", "", false, "ISO 8601: the pending run must be finished by then"},
        {"latest_start", "", "timestamp", "", false,
         "ISO 8601: the load starts by itself then (without a plan) so the deadline holds"}},
       {{"enabled", "boolean", "", 0, 0, {}, true, "allow the load to run"},
        {"power_limit_w", "number", "W", 0, 1e6, {}, false, "run at most at this power"}},
       {}},
      {"position",
       "a cover, valve or damper with a position",
       {{"position", "%", "", "measurement", true,
         "0 = closed, 100 = open (Home Assistant's cover position)"}},
       {{"position", "integer", "%", 0, 100, {}, true, "move to this position"}},
       {}},
      {"location",
       "a GNSS receiver (GPS): where the home is, the fix quality and GPS time",
       {{"latitude", "°", "", "measurement", true, "WGS84 degrees north, -90..90; null without a 2D/3D fix"},
        {"longitude", "°", "", "measurement", true, "WGS84 degrees east, -180..180; null without a fix"},
        {"mode", "", "", "", true, "the fix: \"none\", \"2d\" or \"3d\" (gpsd's TPV mode)"},
        {"altitude", "m", "distance", "measurement", false, "above mean sea level; null without a 3D fix"},
        {"satellites_used", "", "", "measurement", false, "satellites used in the solution"},
        {"hdop", "", "", "measurement", false, "horizontal dilution of precision"},
        {"eph", "m", "distance", "measurement", false, "estimated horizontal position error (95 %)"},
        {"gps_time", "", "timestamp", "", false, "the fix's time from the receiver, ISO 8601 UTC"},
        {"time_offset_s", "s", "duration", "measurement", false, "GPS time minus the hub's clock"}},
       {},
       {}},
  };
  return kAll;
}

inline const InterfaceSpec* find_interface(std::string_view name) {
  for (const auto& spec : catalogue())
    if (spec.name == name) return &spec;
  return nullptr;
}

// The entities of the interface's required fields and commands (a command whose field is also a state field
// becomes one writable entity). Throws std::invalid_argument for an unknown interface (a programming error).
inline std::vector<Entity> canonical_entities(std::string_view name) {
  const InterfaceSpec* spec = find_interface(name);
  if (!spec) throw std::invalid_argument("unknown device interface \"" + std::string(name) + "\"");
  std::vector<Entity> out;
  for (const auto& field : spec->fields) {
    if (!field.required) continue;
    // A field without unit or state class is text (location's "mode"): the recorder keeps it out.
    Entity entity = sensor(field.field, field.unit, field.device_class, field.state_class);
    entity.recorded = !(field.unit.empty() && field.state_class.empty());
    out.push_back(std::move(entity));
  }
  for (const auto& command : spec->commands) {
    if (!command.required) continue;
    CommandSchema schema{command.type, std::nullopt, std::nullopt, command.values, std::nullopt};
    if (command.type == "number" || command.type == "integer") {
      schema.min = command.min;
      schema.max = command.max;
    }
    Entity* existing = nullptr;
    for (auto& entity : out)
      if (entity.field == command.field) existing = &entity;
    if (existing) {
      existing->command = schema;
      continue;
    }
    Entity entity{command.field, "", command.unit, "", "", schema};
    entity.recorded = command.type == "number" || command.type == "integer";
    out.push_back(std::move(entity));
  }
  return out;
}

// The interfaces a config document declares ({"name","role"} objects; a bare string is a name without role).
inline Result<std::vector<InterfaceRef>> declared_interfaces(const nlohmann::json& config) {
  using R = Result<std::vector<InterfaceRef>>;
  if (!config.is_object()) return R::failure("the device config is not a JSON object");
  std::vector<InterfaceRef> out;
  const auto list = config.find("interfaces");
  if (list == config.end()) return R::success(out);  // version 1: none
  if (!list->is_array()) return R::failure("\"interfaces\" is not an array");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& item = (*list)[i];
    if (item.is_string()) {
      out.push_back({item.get<std::string>(), ""});
      continue;
    }
    if (!item.is_object() || !item.contains("name") || !item["name"].is_string())
      return R::failure("interfaces[" + std::to_string(i) + "] has no string \"name\"");
    if (item.contains("role") && !item["role"].is_string())
      return R::failure("interfaces[" + std::to_string(i) + "].role is not a string");
    out.push_back({item["name"].get<std::string>(), item.value("role", "")});
  }
  return R::success(out);
}

namespace detail {
inline const nlohmann::json* entity_of(const nlohmann::json& config, const std::string& field) {
  const auto entities = config.find("entities");
  if (entities == config.end() || !entities->is_array()) return nullptr;
  for (const auto& entity : *entities)
    if (entity.is_object() && entity.value("field", "") == field) return &entity;
  return nullptr;
}
inline std::string text(const nlohmann::json& entity, const char* key) {
  const auto it = entity.find(key);
  return it != entity.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}  // namespace detail

// Whether `config` (a hepek/<device>/config document) implements `name` (with `role`, unless role is empty).
inline Status check_implements(const nlohmann::json& config, std::string_view name,
                               std::string_view role = {}) {
  const std::string device = config.is_object() ? config.value("device", std::string("?")) : "?";
  const std::string where = "device \"" + device + "\" ";
  const InterfaceSpec* spec = find_interface(name);
  if (!spec) return Status::failure("unknown device interface \"" + std::string(name) + "\"");
  const auto declared = declared_interfaces(config);
  if (!declared) return Status::failure(where + "config: " + declared.error());
  const InterfaceRef* match = nullptr;
  for (const auto& ref : *declared)
    if (ref.name == name) match = &ref;
  if (!match) {
    const bool v1 = !config.contains("interfaces");
    return Status::failure(where + "does not declare the \"" + std::string(name) + "\" interface" +
                           (v1 ? " (its config is version-1 metadata without \"interfaces\")" : ""));
  }
  if (!role.empty() && match->role != role)
    return Status::failure(where + "implements \"" + std::string(name) + "\" with role \"" + match->role +
                           "\", not \"" + std::string(role) + "\"");
  if (!spec->roles.empty() && !match->role.empty()) {
    bool known = false;
    for (const auto& allowed : spec->roles) known |= allowed == match->role;
    if (!known)
      return Status::failure(where + "declares unknown role \"" + match->role + "\" for \"" + spec->name +
                             "\"");
  }
  const std::string in = " of interface \"" + spec->name + "\"";
  for (const auto& field : spec->fields) {
    const nlohmann::json* entity = detail::entity_of(config, field.field);
    if (!entity) {
      if (!field.required) continue;
      return Status::failure(where + "lacks the field \"" + field.field + "\"" + in);
    }
    if (detail::text(*entity, "unit") != field.unit)
      return Status::failure(where + "field \"" + field.field + "\"" + in + " has unit \"" +
                             detail::text(*entity, "unit") + "\", expected \"" + field.unit + "\"");
    if (!field.device_class.empty() && detail::text(*entity, "device_class") != field.device_class)
      return Status::failure(where + "field \"" + field.field + "\"" + in + " has device_class \"" +
                             detail::text(*entity, "device_class") + "\", expected \"" + field.device_class +
                             "\"");
    if (!field.state_class.empty() && detail::text(*entity, "state_class") != field.state_class)
      return Status::failure(where + "field \"" + field.field + "\"" + in + " has state_class \"" +
                             detail::text(*entity, "state_class") + "\", expected \"" + field.state_class +
                             "\"");
  }
  for (const auto& command : spec->commands) {
    const nlohmann::json* entity = detail::entity_of(config, command.field);
    const nlohmann::json* schema = entity && entity->contains("command") && (*entity)["command"].is_object()
                                       ? &(*entity)["command"]
                                       : nullptr;
    if (!schema) {
      if (!command.required) continue;
      return Status::failure(where + "lacks the command \"" + command.field + "\"" + in);
    }
    const std::string type = detail::text(*schema, "type");
    const bool numeric_ok = command.type == "number" && type == "integer";  // an integer is a number
    if (type != command.type && !numeric_ok)
      return Status::failure(where + "command \"" + command.field + "\"" + in + " has type \"" + type +
                             "\", expected \"" + command.type + "\"");
    if (command.type == "enum") {
      const auto values = schema->find("values");
      for (const auto& value : command.values) {
        bool present = false;
        if (values != schema->end() && values->is_array())
          for (const auto& v : *values) present |= v == value;
        if (!present)
          return Status::failure(where + "command \"" + command.field + "\"" + in + " does not accept \"" +
                                 value + "\"");
      }
    }
  }
  return Status::success();
}

// Retained device configs by device name, for consumers that look devices up by interface and role. Not
// thread-safe (feed and query it from one thread, e.g. the hub's event thread).
class DeviceDirectory {
 public:
  // Feed the payload of hepek/<device>/config; an empty payload (a cleared retained message) forgets it.
  void on_config(const std::string& device, std::string_view payload) {
    if (payload.empty()) {
      configs_.erase(device);
      return;
    }
    auto json = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) {
      configs_.erase(device);
      return;
    }
    configs_[device] = std::move(json);
  }

  const nlohmann::json* config(const std::string& device) const {
    const auto it = configs_.find(device);
    return it == configs_.end() ? nullptr : &it->second;
  }

  // Devices implementing `name` (with `role`, unless empty), in name order.
  std::vector<std::string> find(std::string_view name, std::string_view role = {}) const {
    std::vector<std::string> out;
    for (const auto& [device, config] : configs_)
      if (check_implements(config, name, role)) out.push_back(device);
    return out;
  }

 private:
  std::map<std::string, nlohmann::json> configs_;
};

}  // namespace hepek::interfaces
