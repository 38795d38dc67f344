// Entity metadata: what a device offers, announced retained on hepek/<device>/config before its first state.
//
// Contract: the JSON produced here is the single source for the recorder, Home Assistant discovery and /set
// validation (see sdk/docs/topics.md, "Device config"). Field names are the keys of the device's state JSON.
// Vocabulary (device_class, state_class, units) is Home Assistant's. A device lists the named interfaces it
// implements (interfaces.hpp, e.g. {"grid_meter", "grid"}); with at least one, the document is "schema": 2,
// without any it is the version-1 document unchanged (version 2 only adds "interfaces"), so consumers written
// for version 1 keep reading it. Header-only; no shared state.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace hepek {

// The schema a writable field accepts on hepek/<device>/set.
struct CommandSchema {
  std::string type;  // "number", "integer", "boolean", "enum", "string"
  std::optional<double> min;
  std::optional<double> max;
  std::vector<std::string> values;        // for "enum"
  std::optional<std::size_t> max_length;  // for "string"

  nlohmann::json to_json() const {
    nlohmann::json j{{"type", type}};
    if (min) j["min"] = *min;
    if (max) j["max"] = *max;
    if (!values.empty()) j["values"] = values;
    if (max_length) j["max_length"] = *max_length;
    return j;
  }
};

struct Entity {
  std::string field;         // key in the state JSON and, when writable, in /set commands
  std::string name;          // human name; defaults to the field
  std::string unit;          // "W", "Wh", "%", "°C", "V", "A", "m³", "EUR/MWh", "" for none
  std::string device_class;  // HA: power, energy, battery, voltage, current, temperature, gas, monetary, ...
  std::string state_class;   // HA: measurement, total, total_increasing, or "" for none
  std::optional<CommandSchema> command;  // present: the field is writable
  bool recorded = true;                  // the recorder stores it (numeric fields only)

  nlohmann::json to_json() const {
    nlohmann::json j{{"field", field}, {"name", name.empty() ? field : name}};
    if (!unit.empty()) j["unit"] = unit;
    if (!device_class.empty()) j["device_class"] = device_class;
    if (!state_class.empty()) j["state_class"] = state_class;
    if (command) j["command"] = command->to_json();
    if (!recorded) j["recorded"] = false;
    return j;
  }
};

// One interface a device implements (interfaces.hpp names them) and its role, e.g. a grid meter's "grid"
// (the connection point billing uses) or "submeter". The role is "" where the interface defines none.
struct InterfaceRef {
  std::string name;
  std::string role;

  nlohmann::json to_json() const {
    nlohmann::json j{{"name", name}};
    if (!role.empty()) j["role"] = role;
    return j;
  }
};

struct Device {
  Device(std::string name_, std::string title_, std::vector<Entity> entities_, std::string model_ = {},
         std::string manufacturer_ = "HEPEK")
      : name(std::move(name_)),
        title(std::move(title_)),
        entities(std::move(entities_)),
        model(std::move(model_)),
        manufacturer(std::move(manufacturer_)) {}

  std::string name;   // the <device> in hepek/<device>/...: normally the instance id
  std::string title;  // human name, e.g. "Home battery"
  std::vector<Entity> entities;
  std::string model;
  std::string manufacturer;
  std::vector<InterfaceRef> interfaces;  // what the device implements; check with interfaces.hpp

  // Declares an interface, e.g. Device{...}.implements("grid_meter", "grid").
  Device& implements(std::string interface, std::string role = {}) {
    interfaces.push_back({std::move(interface), std::move(role)});
    return *this;
  }

  nlohmann::json to_json() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& entity : entities) list.push_back(entity.to_json());
    nlohmann::json j{{"schema", interfaces.empty() ? 1 : 2}, {"device", name},
                     {"name", title.empty() ? name : title}, {"model", model},
                     {"manufacturer", manufacturer},         {"entities", std::move(list)}};
    if (!interfaces.empty()) {
      nlohmann::json declared = nlohmann::json::array();
      for (const auto& interface : interfaces) declared.push_back(interface.to_json());
      j["interfaces"] = std::move(declared);
    }
    return j;
  }
};

// Read-only measurement, e.g. sensor("power", "W", "power", "measurement").
inline Entity sensor(std::string field, std::string unit, std::string device_class, std::string state_class,
                     std::string name = {}) {
  return Entity{std::move(field),        std::move(name),        std::move(unit),
                std::move(device_class), std::move(state_class), std::nullopt};
}

// Cumulative energy counter in Wh (state_class total_increasing).
inline Entity energy_counter(std::string field, std::string name = {}) {
  return sensor(std::move(field), "Wh", "energy", "total_increasing", std::move(name));
}

// Text or other non-numeric state the recorder should not aggregate.
inline Entity text_sensor(std::string field, std::string name = {}) {
  Entity entity{std::move(field), std::move(name), "", "", "", std::nullopt};
  entity.recorded = false;
  return entity;
}

inline Entity number_command(std::string field, double min, double max, std::string unit = {},
                             std::string device_class = {}, std::string name = {}) {
  Entity entity{std::move(field), std::move(name),
                std::move(unit),  std::move(device_class),
                "measurement",    CommandSchema{"number", min, max, {}, std::nullopt}};
  return entity;
}

inline Entity integer_command(std::string field, double min, double max, std::string unit = {},
                              std::string name = {}) {
  return Entity{std::move(field),
                std::move(name),
                std::move(unit),
                "",
                "",
                CommandSchema{"integer", min, max, {}, std::nullopt}};
}

inline Entity enum_command(std::string field, std::vector<std::string> values, std::string name = {}) {
  Entity entity{std::move(field),
                std::move(name),
                "",
                "",
                "",
                CommandSchema{"enum", std::nullopt, std::nullopt, std::move(values), std::nullopt}};
  entity.recorded = false;
  return entity;
}

inline Entity boolean_command(std::string field, std::string name = {}) {
  Entity entity{
      std::move(field), std::move(name), "", "", "", CommandSchema{"boolean", {}, {}, {}, std::nullopt}};
  entity.recorded = false;
  return entity;
}

}  // namespace hepek
