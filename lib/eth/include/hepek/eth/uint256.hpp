// 256-bit unsigned integers for amounts, gas and nonces (boost::multiprecision::uint256_t), with strict
// parsing.
//
// Contract: parse_uint256() accepts decimal digits ("0", "1000") or 0x-prefixed hex ("0x0", "0x3e8"); it
// rejects empty input, signs, spaces, other characters and values >= 2^256, throwing std::invalid_argument
// naming `what`. checked_add/sub/mul throw std::overflow_error instead of wrapping — money never wraps
// silently. parse_units("1.5", 18) converts a decimal amount into base units exactly (too many decimals is an
// error, never a rounding); format_units() is its inverse. Big-endian byte conversions are exact for values
// that fit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/multiprecision/cpp_int.hpp>

#include "hepek/eth/hex.hpp"

namespace hepek::eth {

using uint256 = boost::multiprecision::uint256_t;

uint256 parse_uint256(std::string_view text, std::string_view what = "number");
// As parse_uint256 but the value must fit in 64 bits.
std::uint64_t parse_uint64(std::string_view text, std::string_view what = "number");

std::string to_decimal(const uint256& value);
// JSON-RPC "quantity": 0x-prefixed, no leading zeros, "0x0" for zero.
std::string to_quantity_hex(const uint256& value);

uint256 checked_add(const uint256& a, const uint256& b);
uint256 checked_sub(const uint256& a, const uint256& b);
uint256 checked_mul(const uint256& a, const uint256& b);

// Decimal amount "12.345" with at most `decimals` fractional digits → base units.
uint256 parse_units(std::string_view text, unsigned decimals, std::string_view what = "amount");
// Base units → "12.345" (no trailing zeros; integers have no decimal point).
std::string format_units(const uint256& value, unsigned decimals);

Bytes32 to_be32(const uint256& value);
// Minimal big-endian bytes (empty for zero), as RLP wants them.
Bytes to_be_minimal(const uint256& value);
// Big-endian bytes (at most 32) → value.
uint256 from_be(ByteView bytes);

}  // namespace hepek::eth
