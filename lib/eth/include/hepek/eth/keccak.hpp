// Keccak-256 as used by Ethereum (the original Keccak padding, not NIST SHA3-256), computed with Crypto++.
//
// Contract: keccak256(bytes) hashes the bytes; keccak256_text(s) hashes the UTF-8 bytes of s. Pure and
// thread-safe.
#pragma once

#include <string_view>

#include "hepek/eth/hex.hpp"

namespace hepek::eth {

Bytes32 keccak256(ByteView bytes);
Bytes32 keccak256_text(std::string_view text);

}  // namespace hepek::eth
