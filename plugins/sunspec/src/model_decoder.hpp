// Decodes one SunSpec model from a register image, driven by its definition (model_definition.hpp), never by a
// hand-written struct per model:
//  - every point of every group, in definition order, through point_codec (sentinels are null);
//  - scale factors as pysunspec2 computes them: value × 10^SF (a double) when SF ≠ 0, the raw integer when the
//    SF is 0 or the point has none. The SF point is looked up in the point's own group, then outward to the
//    model. One deviation: a value whose SF point is "not implemented" is null (pysunspec2 would give the
//    unscaled number, which no consumer can tell from a scaled one);
//  - repeating groups: a constant count, a count point (e.g. 705's NCrv / NPt), or count 0 = as many instances
//    as the declared model length holds (160's modules, legacy curves);
//  - enums and bitfields keep their number in "points" and get their symbol names in "symbols" (an enum's
//    name, or the list of a bitfield's set bits);
//  - real devices' quirks: a declared length that differs from the definition decodes what fits (points past
//    the declared length are null) and says so in "notes"; unreadable registers make the points on them null,
//    named in "notes" with their addresses, and the rest is decoded.
// Pure functions over their inputs, thread-safe; never throws on bad register contents.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model_definition.hpp"
#include "register_image.hpp"

namespace hepek::sunspec {

// Where a model sits: the address of its ID register and the length its L register declares (registers after
// ID and L).
struct ModelLocation {
  uint16_t id = 0;
  uint32_t address = 0;
  uint16_t length = 0;
  uint32_t data_address() const { return address + 2; }
  uint32_t end() const { return address + 2 + length; }
};

struct DecodedModel {
  ModelLocation location;
  std::string name;              // the definition's group name ("inverter_three_phase"); "" when unknown
  nlohmann::ordered_json group;  // {"points":{..},"symbols":{..}?,"groups":{..}?}; null when unknown
  std::vector<std::string> notes;
  uint32_t points_decoded = 0;                 // points with a value
  uint32_t points_unreadable = 0;              // points null because a register of theirs could not be read
  std::vector<std::string> unreadable_points;  // their paths: "W", "curve[0].V1" (group name, instance index)
  bool known() const { return !group.is_null(); }

  // A top-level point's value as a number (scaled), or nullopt when null, absent or not a number.
  std::optional<double> number(std::string_view point) const;
  // {"id","name","address","length","points",...,"notes"?}: the form of `hepek sunspec scan`.
  nlohmann::ordered_json to_json() const;
};

DecodedModel decode_model(const ModelDefinition& definition, const ModelLocation& location,
                          const RegisterImage& registers);
// A model without a definition: reported by id and length only.
DecodedModel unknown_model(const ModelLocation& location);

// A number from a decoded group's "points" object (see DecodedModel::number).
std::optional<double> number_of(const nlohmann::ordered_json& group, std::string_view point);

}  // namespace hepek::sunspec
