// One SunSpec point from its registers to a JSON value, and back (for writes and test maps), by the type rules
// of the SunSpec Alliance's pysunspec2 (sunspec2/mb.py):
//  - "not implemented" values are null: int16/sunssf 0x8000, uint16/count/enum16/bitfield16 0xFFFF, int32
//    0x80000000, uint32/enum32/bitfield32 0xFFFFFFFF, int64 0x8000..., uint64 0xFFFF..., acc16/acc32/acc64 0,
//    ipaddr 0, a NaN (or infinite) float, a string whose first byte is NUL, an all-zero or FF:FF:FF:FF:FF:FF
//    eui48, an all-zero ipv6addr. A pad is its raw word.
//  - integers are JSON integers, floats doubles; a string is cut at its first NUL; eui48 "AA:BB:CC:DD:EE:FF";
//    ipaddr dotted ("192.168.1.10"; pysunspec2 gives the integer); ipv6addr eight groups of four hex digits.
//  - a string that is not valid UTF-8 is null with an error (pysunspec2 fails on it the same way).
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include <hepek/result.hpp>

#include "model_definition.hpp"

namespace hepek::sunspec {

struct PointValue {
  nlohmann::ordered_json value;  // null when not implemented
  std::string error;             // non-empty: the registers hold no valid value of the type (value is null)
};

// `words` holds exactly point.size registers.
PointValue decode_point(const PointDefinition& point, std::span<const uint16_t> words);

// The registers that hold `value` (a JSON number, string or null for "not implemented") for `point`; fails when
// the value does not fit the type. Raw (unscaled) values.
Result<std::vector<uint16_t>> encode_point(const PointDefinition& point, const nlohmann::ordered_json& value);

// The registers that mean "not implemented" for `point`.
std::vector<uint16_t> unimplemented_words(const PointDefinition& point);

bool valid_utf8(std::string_view text);

}  // namespace hepek::sunspec
