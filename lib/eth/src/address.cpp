#include "hepek/eth/address.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <fmt/format.h>

#include "hepek/eth/keccak.hpp"

namespace hepek::eth {

namespace {
std::string_view strip_prefix(std::string_view text) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) return text.substr(2);
  return text;
}

// EIP-55: upper-case the i-th letter when the i-th nibble of keccak(lower-case hex) is >= 8.
std::string checksum_case(std::string_view lower_digits) {
  const Bytes32 hash = keccak256_text(lower_digits);
  std::string out(lower_digits);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::uint8_t nibble = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f;
    if (nibble >= 8) out[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[i])));
  }
  return out;
}
}  // namespace

Address Address::parse(std::string_view text, std::string_view what) {
  const std::string_view digits = strip_prefix(text);
  if (digits.size() != 40)
    throw std::invalid_argument(fmt::format("{}: '{}' is not an address (expected 40 hex digits, got {})",
                                            what, text, digits.size()));
  const Bytes bytes = from_hex(digits, what);
  Address address;
  std::copy(bytes.begin(), bytes.end(), address.bytes.begin());
  const bool has_lower =
      std::any_of(digits.begin(), digits.end(), [](char c) { return c >= 'a' && c <= 'f'; });
  const bool has_upper =
      std::any_of(digits.begin(), digits.end(), [](char c) { return c >= 'A' && c <= 'F'; });
  if (has_lower && has_upper && address.checksummed().substr(2) != digits)
    throw std::invalid_argument(fmt::format("{}: '{}' has an invalid EIP-55 checksum (expected {})", what,
                                            text, address.checksummed()));
  return address;
}

Address Address::parse_checksummed(std::string_view text, std::string_view what) {
  const Address address = parse(text, what);
  if (address.checksummed().substr(2) != strip_prefix(text))
    throw std::invalid_argument(fmt::format("{}: '{}' is not in EIP-55 checksum form (expected {})", what,
                                            text, address.checksummed()));
  return address;
}

Address Address::from_word(const Bytes32& word, std::string_view what) {
  if (std::any_of(word.begin(), word.begin() + 12, [](std::uint8_t b) { return b != 0; }))
    throw std::invalid_argument(fmt::format("{}: {} has non-zero high bytes", what, to_hex(word)));
  Address address;
  std::copy(word.begin() + 12, word.end(), address.bytes.begin());
  return address;
}

std::string Address::checksummed() const {
  std::string out = "0x";
  out += checksum_case(to_hex(bytes, false));
  return out;
}

std::string Address::lower_hex() const {
  return to_hex(bytes);
}

Bytes32 Address::to_word() const {
  Bytes32 word{};
  std::copy(bytes.begin(), bytes.end(), word.begin() + 12);
  return word;
}

bool Address::is_zero() const {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

bool is_valid_checksum_address(std::string_view text) {
  if (text.size() != 42 || text[0] != '0' || text[1] != 'x') return false;
  try {
    return Address::parse(text).checksummed() == text;
  } catch (const std::invalid_argument&) {
    return false;
  }
}

}  // namespace hepek::eth
