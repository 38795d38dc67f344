// SunSpec discovery: find the "SunS" marker (0x5375 0x6E53), then walk the model chain (ID, L, L registers,
// ...) to the end marker 0xFFFF.
//  - find_base() probes 40000, 50000, 0, 4096, 1, 40001 in that order (real devices use each), or only the
//    forced base. A probe the device answers with an exception or other registers moves on; a link failure
//    (timeout, dropped connection) stops the search: the device is not there at all.
//  - walk_models() reports every model by id, address and declared length, known or not (an unknown model is
//    skipped by its length); a chain that breaks off (read error, ID 0, past register 65535, more than 512
//    models) keeps what it found and says where and why in notes.
// Contract: never throws; errors name the device (RegisterSource::describe) and the register. Not thread-safe
// (it uses the source).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model_decoder.hpp"
#include "register_source.hpp"

namespace hepek::sunspec {

inline constexpr uint32_t kProbeBases[] = {40000, 50000, 0, 4096, 1, 40001};
inline constexpr uint16_t kEndModelId = 0xFFFF;

struct BaseSearch {
  std::optional<uint32_t> base;  // where the marker is
  bool link_failed = false;      // the search stopped on a link failure
  std::string error;             // why there is no base: every probe and its answer
};

struct DeviceMap {
  uint32_t base = 0;
  std::vector<ModelLocation> models;
  bool end_marker = false;  // the chain ended with 0xFFFF
  uint32_t end_address = 0;
  bool link_failed = false;  // the walk stopped on a link failure (the map is incomplete)
  std::vector<std::string> notes;
  const ModelLocation* find(uint16_t id) const {
    for (const auto& model : models)
      if (model.id == id) return &model;
    return nullptr;
  }
};

BaseSearch find_base(RegisterSource& source, std::optional<uint32_t> forced);
DeviceMap walk_models(RegisterSource& source, uint32_t base);

}  // namespace hepek::sunspec
