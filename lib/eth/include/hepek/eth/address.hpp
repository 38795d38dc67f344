// A 20-byte Ethereum account address with EIP-55 mixed-case checksum encoding.
//
// Contract: Address::parse() accepts 40 hex digits with optional 0x; all-lower or all-upper text is accepted
// as is, mixed-case text must carry a valid EIP-55 checksum (a typo in a checksummed address is an error,
// never a different account). Address::parse_checksummed() demands a valid EIP-55 form. checksummed()
// produces EIP-55 text.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "hepek/eth/hex.hpp"

namespace hepek::eth {

class Address {
 public:
  std::array<std::uint8_t, 20> bytes{};

  Address() = default;
  explicit Address(const std::array<std::uint8_t, 20>& raw) : bytes(raw) {}

  static Address parse(std::string_view text, std::string_view what = "address");
  static Address parse_checksummed(std::string_view text, std::string_view what = "address");
  // The last 20 bytes of a 32-byte word (ABI / topic form); the 12 high bytes must be zero.
  static Address from_word(const Bytes32& word, std::string_view what = "address word");

  std::string checksummed() const;  // EIP-55, 0x-prefixed
  std::string lower_hex() const;    // 0x-prefixed lower case
  Bytes32 to_word() const;          // left-padded to 32 bytes
  bool is_zero() const;

  auto operator<=>(const Address&) const = default;
};

// True if `text` is 0x + 40 hex digits whose letter case matches EIP-55.
bool is_valid_checksum_address(std::string_view text);

}  // namespace hepek::eth
