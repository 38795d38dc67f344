// libFuzzer target: what a SunSpec device answers, through what the plugin does with it: discovery (find_base,
// walk_models on a DumpSource), the model-driven decoder (decode_locations: every model of the map, known ones
// by their embedded definition), the device's functions and their states (function_state, identity_of), and the
// register dump reader of `hepek sunspec scan` (parse_register_dump).
// Input: first byte bit 7 set: the rest is a register dump CSV. Otherwise the rest is a register image from
// kProbeBases[first byte % 6] on, as chunks: a tag byte, a count byte n, then (tag bit 0 clear) n big-endian
// words or (tag bit 0 set) nothing: n registers the device refuses to read. A chunk cut short keeps its words.
// Invariants besides ASan/UBSan: nothing throws (the contracts say never); every decoded model, its scan form
// and every function state dump strictly (the plugin publishes them); the map's headers match the image it was
// read from; a base found by probing is where the "SunS" marker is.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "device_functions.hpp"
#include "device_map.hpp"
#include "hepek/testing/fuzz_check.hpp"
#include "model_reading.hpp"
#include "register_dump.hpp"

namespace hs = hepek::sunspec;
using hepek::testing::dumps_strictly;

namespace {

hs::RegisterImage image_from_chunks(const std::uint8_t* data, std::size_t size, std::uint32_t base) {
  hs::RegisterImage image(base);
  std::uint32_t address = base;
  std::size_t at = 0;
  while (at + 2 <= size && address <= 0xFFFF) {
    const std::uint8_t tag = data[at];
    std::uint32_t count = data[at + 1];
    at += 2;
    count = std::min<std::uint32_t>(count, 0x10000 - address);
    if (tag & 1) {
      image.mark_unreadable(address, count);
    } else {
      std::vector<std::uint16_t> words;
      for (; words.size() < count && at + 2 <= size; at += 2)
        words.push_back(static_cast<std::uint16_t>(data[at] << 8 | data[at + 1]));
      image.put(address, words);
      count = static_cast<std::uint32_t>(words.size());
    }
    address += count;
  }
  return image;
}

void walk_and_decode(hs::RegisterImage image) {
  hs::DumpSource source(std::move(image), "fuzz");
  const hs::BaseSearch search = hs::find_base(source, std::nullopt);
  if (!search.base) return;
  HEPEK_FUZZ_CHECK(source.image().at(*search.base) == 0x5375 && source.image().at(*search.base + 1) == 0x6E53,
                   "the base found is where the SunS marker is");
  const hs::DeviceMap map = hs::walk_models(source, *search.base);
  const std::vector<hs::ModelLocation> locations = hs::locations_of(map, {});
  std::string why;
  HEPEK_FUZZ_CHECK(hs::headers_match(locations, source.image(), why),
                   "the map matches the image it was read from");
  const hs::Snapshot snapshot = hs::decode_locations(locations, source.image());
  for (const auto& model : snapshot.models) {
    HEPEK_FUZZ_CHECK(dumps_strictly(model.group), "a decoded model can be published");
    HEPEK_FUZZ_CHECK(dumps_strictly(model.to_json()), "a model's scan form can be printed as JSON");
    (void)model.number("W");
  }
  for (const hs::Function function : hs::functions_of(map))
    HEPEK_FUZZ_CHECK(dumps_strictly(hs::function_state(function, snapshot)),
                     "a function state can be published");
  (void)hs::polled_models(map);
  const hs::Identity identity = hs::identity_of(snapshot);
  HEPEK_FUZZ_CHECK(dumps_strictly(nlohmann::json{identity.manufacturer, identity.model, identity.serial,
                                                 identity.version}),
                   "the identity can be published");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  if (data[0] & 0x80) {
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    auto image = hs::parse_register_dump(text, "fuzz.csv");
    if (image) walk_and_decode(std::move(image).value());
    return 0;
  }
  walk_and_decode(image_from_chunks(data + 1, size - 1, hs::kProbeBases[data[0] % 6]));
  return 0;
}
