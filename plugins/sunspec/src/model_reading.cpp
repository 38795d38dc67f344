#include "model_reading.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace hepek::sunspec {

std::vector<ModelLocation> locations_of(const DeviceMap& map, const std::vector<uint16_t>& ids) {
  std::vector<ModelLocation> out;
  for (const auto& model : map.models)
    if (ids.empty() || std::find(ids.begin(), ids.end(), model.id) != ids.end()) out.push_back(model);
  return out;
}

Snapshot decode_locations(const std::vector<ModelLocation>& locations, const RegisterImage& image) {
  Snapshot snapshot;
  snapshot.models.reserve(locations.size());
  for (const auto& location : locations) {
    if (const ModelDefinition* definition = find_model(location.id))
      snapshot.models.push_back(decode_model(*definition, location, image));
    else
      snapshot.models.push_back(unknown_model(location));
  }
  return snapshot;
}

bool headers_match(const std::vector<ModelLocation>& locations, const RegisterImage& image,
                   std::string& why) {
  for (const auto& location : locations) {
    if (!image.readable(location.address, 2)) continue;  // unreadable this poll: nothing to compare
    const uint16_t id = image.at(location.address), length = image.at(location.address + 1);
    if (id != location.id || length != location.length) {
      why = fmt::format(
          "register {} now holds model {} length {}, not model {} length {}: the device's model "
          "chain changed",
          location.address, id, length, location.id, location.length);
      return false;
    }
  }
  return true;
}

}  // namespace hepek::sunspec
