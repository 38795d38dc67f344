// libFuzzer target: what the recorder reads from the bus (recorder_plugin.cpp): a device's retained config
// (parse_device_metadata), its states against that config (samples_from_state), and history queries on
// hepek/<recorder>/request/<id> (parse_query_request).
// Input: a query, also read as a config; or a config, a NUL byte and a state.
// Invariants besides ASan/UBSan: nothing throws; a query error is a reply the recorder can publish (strict
// dump()) and, like a state's warning and skip notes (logged), quotes at most a short prefix of the input; an
// accepted query has a non-empty device and from < to; every sample is a recorded field of the config, with a
// finite value.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "device_metadata.hpp"
#include "hepek/json_limits.hpp"
#include "hepek/testing/fuzz_check.hpp"
#include "query_protocol.hpp"
#include "state_samples.hpp"

namespace hr = hepek::recorder;

namespace {

constexpr std::size_t kShort = 600;

void check_query(std::string_view payload) {
  hr::SeriesQuery defaults;
  defaults.timezone = "Europe/Amsterdam";
  const auto query = hr::parse_query_request(payload, defaults);
  if (!query) {
    HEPEK_FUZZ_CHECK(hepek::testing::dumps_strictly(hr::query_error(query.error())), "the error reply dumps");
    HEPEK_FUZZ_CHECK(query.error().size() <= kShort, "a query error quotes a short prefix");
    return;
  }
  HEPEK_FUZZ_CHECK(!query->device.empty() && query->from_ms < query->to_ms, "an accepted query is usable");
}

void check_state(const hr::DeviceMetadata& metadata, std::string_view payload) {
  const auto state = hr::samples_from_state(metadata, payload, 1700000000000);
  if (!state) return;
  HEPEK_FUZZ_CHECK(state->warning.size() <= kShort, "a state warning quotes a short prefix");
  for (const auto& skipped : state->skipped)
    HEPEK_FUZZ_CHECK(skipped.size() <= kShort, "a skip note is short");
  for (const auto& sample : state->samples) {
    const hr::FieldMetadata* field = metadata.find(sample.field);
    HEPEK_FUZZ_CHECK(field && field->recorded, "only recorded fields are sampled");
    HEPEK_FUZZ_CHECK(std::isfinite(sample.value), "samples are finite");
    HEPEK_FUZZ_CHECK(sample.ts_ms == state->ts_ms, "samples carry the state's time");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = hepek::testing::split_input(data, size);
  // The hub drops what is over the JSON limits before a plugin sees it.
  if (!hepek::json_limits::check(input.first) || (input.second && !hepek::json_limits::check(*input.second)))
    return 0;
  if (!input.second) check_query(input.whole);
  const auto metadata = hr::parse_device_metadata("device", input.first);
  if (!metadata) {
    HEPEK_FUZZ_CHECK(metadata.error().size() <= kShort, "a config error quotes a short prefix");
    return 0;
  }
  check_state(*metadata, input.second ? *input.second : std::string_view("{}"));
  return 0;
}
