// Byte containers and hex conversion shared by the whole Ethereum client.
//
// Contract: to_hex() writes lower-case hex, "0x"-prefixed unless asked otherwise. from_hex() accepts an
// optional "0x"/"0X" prefix and an even number of hex digits of either case; anything else throws
// std::invalid_argument naming `what` and the offending character position. Pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hepek::eth {

using Bytes = std::vector<std::uint8_t>;
using Bytes32 = std::array<std::uint8_t, 32>;
using ByteView = std::span<const std::uint8_t>;

std::string to_hex(ByteView bytes, bool with_prefix = true);

// Parses hex text into bytes; `what` names the input in error messages (e.g. "--key", "tx.data").
Bytes from_hex(std::string_view text, std::string_view what = "hex");

// Parses exactly 32 bytes of hex (64 digits, optional 0x).
Bytes32 bytes32_from_hex(std::string_view text, std::string_view what = "hex");

// Concatenates byte ranges (helper for hashing preimages).
Bytes concat(std::initializer_list<ByteView> parts);

inline ByteView as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace hepek::eth
