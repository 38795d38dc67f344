// SunSpec model definitions in the form the decoder walks: a model is a root group of points and nested groups;
// a group with a count repeats (a constant, 0 = "as many as the model length holds", or the name of a count
// point). Parsed from the SunSpec Alliance's JSON definitions (parse_model_definition), found by id in the
// definitions compiled into the plugin (find_model).
//
// Contract: parse_model_definition() returns a failure naming the JSON path that is wrong, never throws;
// find_model() parses a definition on first use and keeps it for the life of the process (thread-safe, the
// returned pointer stays valid); nullptr for an id without a definition.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <hepek/result.hpp>

namespace hepek::sunspec {

enum class PointType {
  int16,
  uint16,
  count,
  acc16,
  enum16,
  bitfield16,
  pad,
  sunssf,
  int32,
  uint32,
  acc32,
  enum32,
  bitfield32,
  ipaddr,
  float32,
  int64,
  uint64,
  acc64,
  float64,
  eui48,
  ipv6addr,
  string
};

std::optional<PointType> point_type_from_name(std::string_view name);
std::string_view point_type_name(PointType type);
// The register count of a type; 0 for string (its size comes from the definition).
uint16_t point_type_registers(PointType type);

struct Symbol {
  std::string name;
  int64_t value = 0;  // the enum value, or the bit number of a bitfield
};

struct PointDefinition {
  std::string name;
  PointType type = PointType::uint16;
  uint16_t size = 1;                  // registers
  std::string scale_factor;           // name of the sunssf point, or empty
  std::optional<int> scale_constant;  // a definition's constant scale factor ("sf": -1)
  std::vector<Symbol> symbols;
  std::string units;
  bool writable = false;  // "access": "RW"
};

struct GroupDefinition {
  enum class Repeat { once, constant, fill, counted };
  std::string name;
  Repeat repeat = Repeat::once;
  uint32_t constant_count = 0;  // Repeat::constant
  std::string count_point;      // Repeat::counted: a point of an enclosing group (usually the model's)
  std::vector<PointDefinition> points;
  std::vector<GroupDefinition> groups;

  // Registers of the points alone, and of one instance with every nested group at its fixed size (repeating
  // nested groups counted once when constant, zero times otherwise).
  uint32_t points_registers() const;
  const PointDefinition* point(std::string_view name) const;
};

struct ModelDefinition {
  uint16_t id = 0;
  GroupDefinition root;  // its first two points are ID and L
  // The length the definition implies for a model without variable groups: root points (less ID and L) plus
  // fixed groups; the model length register should say the same.
  uint32_t fixed_length() const;
  bool has_variable_groups() const;
};

Result<ModelDefinition> parse_model_definition(std::string_view json_text);
const ModelDefinition* find_model(uint16_t id);
// Every id with an embedded definition, ascending.
std::vector<uint16_t> known_model_ids();

}  // namespace hepek::sunspec
