// Turns one hepek/<device>/state payload into the samples the recorder stores, driven only by entity
// metadata.
//
// Contract: never throws. Garbage (not JSON by json_limits::parse_limited: too deep, a NUL byte, a key twice;
// not an object) is an error naming the device; values are quoted at most 64 bytes long, as valid UTF-8. Otherwise every
// field the metadata declares as recorded yields a sample when its value is a number, a boolean (1/0), or,
// for a field declared numeric, a string holding a finite number; anything else is skipped and listed in
// `skipped` so the caller can log it. The time is the state's "ts" (ISO 8601) when present and valid, else
// `fallback_ms` (a bad "ts" is noted in `warning`). Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "device_metadata.hpp"
#include "hepek/result.hpp"

namespace hepek::recorder {

struct Sample {
  std::string device;
  std::string field;
  int64_t ts_ms = 0;
  double value = 0;
};

struct StateSamples {
  int64_t ts_ms = 0;
  bool time_from_state = false;  // ts_ms came from the state's own valid "ts"
  std::vector<Sample> samples;
  std::vector<std::string> skipped;  // "field: reason" for recorded fields whose value could not be stored
  std::string warning;               // e.g. an unreadable "ts"
};

Result<StateSamples> samples_from_state(const DeviceMetadata& device, std::string_view payload,
                                        int64_t fallback_ms);

}  // namespace hepek::recorder
