// Reading a device's models: the registers of the chosen models in blocks (read_plan.hpp), then each model
// decoded (model_decoder.hpp). Used by `hepek sunspec scan` (every model once) and the plugin's poller (the
// measurement and control models every poll). Not thread-safe (uses the source); never throws.
#pragma once

#include <cstdint>
#include <vector>

#include "device_functions.hpp"
#include "device_map.hpp"
#include "read_plan.hpp"

namespace hepek::sunspec {

// The locations of `ids` on the map (every model when `ids` is empty), in map order.
std::vector<ModelLocation> locations_of(const DeviceMap& map, const std::vector<uint16_t>& ids);

// Decodes `locations` from `image`: known models by their definition, unknown ones by id and length. A model
// whose ID and L registers no longer say what the map says is decoded as read and noted.
Snapshot decode_locations(const std::vector<ModelLocation>& locations, const RegisterImage& image);

// True when every model's ID and L registers in `image` still match the map (a device that rebooted into
// another firmware, or another device on the address, does not).
bool headers_match(const std::vector<ModelLocation>& locations, const RegisterImage& image, std::string& why);

}  // namespace hepek::sunspec
