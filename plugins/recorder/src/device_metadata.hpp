// What the recorder keeps of a device's entity metadata (hepek/<device>/config, see
// sdk/include/hepek/entity.hpp).
//
// Contract: parse_device_metadata() accepts the SDK's JSON shape ({"schema":1 or
// 2,"device":..,"entities":[..]}) and returns an error naming the device and the offending entity for
// anything else; it never throws. A field is recorded unless its entity says "recorded": false. A field is
// declared numeric when its metadata implies a number: a unit, a state_class (measurement, total,
// total_increasing) or a number/integer command schema. Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hepek/result.hpp"

namespace hepek::recorder {

struct FieldMetadata {
  std::string field;
  std::string unit;
  std::string device_class;
  std::string state_class;
  bool recorded = true;
  bool numeric = false;  // the metadata says the value is a number (numeric strings are then accepted)

  // Counters are summarised by their last value, measurements by their mean.
  bool is_counter() const { return state_class == "total" || state_class == "total_increasing"; }
};

struct DeviceMetadata {
  std::string name;
  std::string title;
  std::vector<FieldMetadata> fields;  // every entity, recorded or not, in announcement order
  nlohmann::json raw;                 // the announcement as received

  const FieldMetadata* find(std::string_view field) const;
};

// `device_from_topic` is the <device> of hepek/<device>/config; it wins over a differing "device" in the
// JSON.
Result<DeviceMetadata> parse_device_metadata(std::string_view device_from_topic, std::string_view payload);

}  // namespace hepek::recorder
