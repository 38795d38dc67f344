#include "hepek/eth/hex.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace hepek::eth {

namespace {
int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string to_hex(ByteView bytes, bool with_prefix) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2 + 2);
  if (with_prefix) out = "0x";
  for (std::uint8_t byte : bytes) {
    out.push_back(digits[byte >> 4]);
    out.push_back(digits[byte & 0x0f]);
  }
  return out;
}

Bytes from_hex(std::string_view text, std::string_view what) {
  std::size_t start = 0;
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) start = 2;
  const std::size_t digits = text.size() - start;
  if (digits % 2 != 0)
    throw std::invalid_argument(fmt::format("{}: hex has an odd number of digits ({})", what, digits));
  Bytes out;
  out.reserve(digits / 2);
  for (std::size_t i = start; i < text.size(); i += 2) {
    const int high = hex_digit_value(text[i]);
    const int low = hex_digit_value(text[i + 1]);
    if (high < 0 || low < 0) {
      const std::size_t bad = high < 0 ? i : i + 1;
      throw std::invalid_argument(
          fmt::format("{}: invalid hex character '{}' at position {}", what, text[bad], bad));
    }
    out.push_back(static_cast<std::uint8_t>(high << 4 | low));
  }
  return out;
}

Bytes32 bytes32_from_hex(std::string_view text, std::string_view what) {
  const Bytes bytes = from_hex(text, what);
  if (bytes.size() != 32)
    throw std::invalid_argument(fmt::format("{}: expected 32 bytes, got {}", what, bytes.size()));
  Bytes32 out;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

Bytes concat(std::initializer_list<ByteView> parts) {
  std::size_t total = 0;
  for (const auto& part : parts) total += part.size();
  Bytes out;
  out.reserve(total);
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

}  // namespace hepek::eth
