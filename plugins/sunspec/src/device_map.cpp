#include "device_map.hpp"

#include <fmt/format.h>

namespace hepek::sunspec {
namespace {

constexpr uint16_t kMarkerHigh = 0x5375;  // "Su"
constexpr uint16_t kMarkerLow = 0x6E53;   // "nS"
constexpr size_t kMaxModels = 512;

}  // namespace

BaseSearch find_base(RegisterSource& source, std::optional<uint32_t> forced) {
  BaseSearch out;
  std::vector<uint32_t> bases;
  if (forced)
    bases.push_back(*forced);
  else
    bases.assign(std::begin(kProbeBases), std::end(kProbeBases));
  std::string tried;
  for (const uint32_t base : bases) {
    const ReadResult marker = source.read(base, 2);
    std::string answer;
    if (marker.ok() && marker.words.size() == 2 && marker.words[0] == kMarkerHigh &&
        marker.words[1] == kMarkerLow) {
      out.base = base;
      return out;
    }
    if (marker.failure == ReadResult::Failure::link) {
      out.link_failed = true;
      out.error = fmt::format("{}: no answer probing base {}: {}", source.describe(), base, marker.error);
      return out;
    }
    if (marker.ok())
      answer = marker.words.size() == 2
                   ? fmt::format("{:04X} {:04X}, not SunS", marker.words[0], marker.words[1])
                   : "a short answer";
    else
      answer = marker.error;
    tried += fmt::format("{}{}: {}", tried.empty() ? "" : "; ", base, answer);
  }
  out.error = fmt::format("{}: no SunSpec marker \"SunS\" (0x5375 0x6E53) at {} ({})", source.describe(),
                          forced ? fmt::format("the configured base {}", *forced)
                                 : std::string("base 40000, 50000, 0, 4096, 1 or 40001"),
                          tried);
  return out;
}

DeviceMap walk_models(RegisterSource& source, uint32_t base) {
  DeviceMap map;
  map.base = base;
  uint32_t address = base + 2;
  while (true) {
    if (map.models.size() >= kMaxModels) {
      map.notes.push_back(
          fmt::format("more than {} models: the walk stops at register {}", kMaxModels, address));
      break;
    }
    if (address + 1 > 0xFFFF) {
      map.notes.push_back(fmt::format("the model chain runs past register 65535 without the end marker"));
      break;
    }
    ReadResult header = source.read(address, 2);
    if (!header.ok() && header.failure == ReadResult::Failure::exception) header = source.read(address, 1);
    if (!header.ok()) {
      map.link_failed = header.failure == ReadResult::Failure::link;
      map.notes.push_back(fmt::format("the model chain breaks off at register {} without the end marker: {}",
                                      address, header.error));
      break;
    }
    const uint16_t id = header.words.at(0);
    if (id == kEndModelId) {
      map.end_marker = true;
      map.end_address = address;
      break;
    }
    if (id == 0 || header.words.size() < 2) {
      map.notes.push_back(
          fmt::format("register {} holds model id {}{}: taken as the end of the chain (no 0xFFFF "
                      "end marker)",
                      address, id, header.words.size() < 2 ? " and no length" : ""));
      map.end_address = address;
      break;
    }
    const uint16_t length = header.words[1];
    map.models.push_back({id, address, length});
    address += 2u + length;
  }
  return map;
}

}  // namespace hepek::sunspec
