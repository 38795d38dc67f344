#include "hepek/eth/uint256.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace hepek::eth {

namespace {
const uint256 kMax = std::numeric_limits<uint256>::max();

uint256 parse_digits(std::string_view digits, unsigned base, std::string_view what, std::string_view full) {
  if (digits.empty()) throw std::invalid_argument(fmt::format("{}: '{}' has no digits", what, full));
  uint256 value = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const char c = digits[i];
    unsigned digit;
    if (c >= '0' && c <= '9')
      digit = static_cast<unsigned>(c - '0');
    else if (base == 16 && c >= 'a' && c <= 'f')
      digit = static_cast<unsigned>(c - 'a' + 10);
    else if (base == 16 && c >= 'A' && c <= 'F')
      digit = static_cast<unsigned>(c - 'A' + 10);
    else
      throw std::invalid_argument(fmt::format("{}: '{}' has an invalid {} character '{}' at position {}",
                                              what, full, base == 16 ? "hex" : "decimal", c,
                                              i + (full.size() - digits.size())));
    if (value > (kMax - digit) / base)
      throw std::invalid_argument(fmt::format("{}: '{}' does not fit in 256 bits", what, full));
    value = value * base + digit;
  }
  return value;
}
}  // namespace

uint256 parse_uint256(std::string_view text, std::string_view what) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    return parse_digits(text.substr(2), 16, what, text);
  return parse_digits(text, 10, what, text);
}

std::uint64_t parse_uint64(std::string_view text, std::string_view what) {
  const uint256 value = parse_uint256(text, what);
  if (value > std::numeric_limits<std::uint64_t>::max())
    throw std::invalid_argument(fmt::format("{}: '{}' does not fit in 64 bits", what, text));
  return static_cast<std::uint64_t>(value);
}

// Not value.str(): g++ 12 at -O3 reports a false -Wrestrict inside Boost's string conversion (GCC bug
// 105329).
std::string to_decimal(const uint256& value) {
  if (value == 0) return "0";
  char digits[80];
  std::size_t count = 0;
  uint256 rest = value;
  while (rest != 0) {
    // Peel 19 decimal digits per 256-bit division: 10^19 fits in 64 bits.
    constexpr std::uint64_t kChunk = 10'000'000'000'000'000'000ull;
    std::uint64_t chunk = static_cast<std::uint64_t>(rest % kChunk);
    rest /= kChunk;
    for (int i = 0; i < 19 && (chunk != 0 || rest != 0); ++i) {
      digits[count++] = static_cast<char>('0' + chunk % 10);
      chunk /= 10;
    }
  }
  return std::string(std::make_reverse_iterator(digits + count), std::make_reverse_iterator(digits));
}

std::string to_quantity_hex(const uint256& value) {
  if (value == 0) return "0x0";
  const Bytes bytes = to_be_minimal(value);
  std::string hex = to_hex(bytes, false);
  const std::size_t first = hex.find_first_not_of('0');
  std::string out = "0x";
  out.append(hex, first);
  return out;
}

uint256 checked_add(const uint256& a, const uint256& b) {
  if (a > kMax - b) throw std::overflow_error("uint256 addition overflows");
  return a + b;
}

uint256 checked_sub(const uint256& a, const uint256& b) {
  if (b > a)
    throw std::overflow_error(
        fmt::format("uint256 subtraction underflows ({} - {})", to_decimal(a), to_decimal(b)));
  return a - b;
}

uint256 checked_mul(const uint256& a, const uint256& b) {
  if (a != 0 && b > kMax / a) throw std::overflow_error("uint256 multiplication overflows");
  return a * b;
}

uint256 parse_units(std::string_view text, unsigned decimals, std::string_view what) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() && fraction.empty())
    throw std::invalid_argument(fmt::format("{}: '{}' is not a decimal amount", what, text));
  if (dot != std::string_view::npos && fraction.empty())
    throw std::invalid_argument(fmt::format("{}: '{}' has no digits after the decimal point", what, text));
  if (fraction.size() > decimals)
    throw std::invalid_argument(
        fmt::format("{}: '{}' has more than {} decimal places", what, text, decimals));
  for (std::size_t i = 0; i < text.size(); ++i)
    if (!(text[i] >= '0' && text[i] <= '9') && i != dot)
      throw std::invalid_argument(
          fmt::format("{}: '{}' has an invalid character '{}' at position {}", what, text, text[i], i));
  uint256 scale = 1;
  for (unsigned i = 0; i < decimals; ++i) scale = checked_mul(scale, 10);
  const uint256 whole_value = whole.empty() ? uint256(0) : parse_digits(whole, 10, what, text);
  uint256 fraction_value = fraction.empty() ? uint256(0) : parse_digits(fraction, 10, what, text);
  for (std::size_t i = fraction.size(); i < decimals; ++i) fraction_value *= 10;
  try {
    return checked_add(checked_mul(whole_value, scale), fraction_value);
  } catch (const std::overflow_error&) {
    throw std::invalid_argument(fmt::format("{}: '{}' does not fit in 256 bits of base units", what, text));
  }
}

std::string format_units(const uint256& value, unsigned decimals) {
  std::string digits = to_decimal(value);
  if (decimals == 0) return digits;
  if (digits.size() <= decimals) digits.insert(0, decimals - digits.size() + 1, '0');
  std::string whole = digits.substr(0, digits.size() - decimals);
  std::string fraction = digits.substr(digits.size() - decimals);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (!fraction.empty()) {
    whole += '.';
    whole += fraction;
  }
  return whole;
}

Bytes32 to_be32(const uint256& value) {
  Bytes32 out{};
  uint256 rest = value;
  for (int i = 31; i >= 0 && rest != 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(rest & 0xff);
    rest >>= 8;
  }
  return out;
}

Bytes to_be_minimal(const uint256& value) {
  const Bytes32 full = to_be32(value);
  const auto first = std::find_if(full.begin(), full.end(), [](std::uint8_t b) { return b != 0; });
  return Bytes(first, full.end());
}

uint256 from_be(ByteView bytes) {
  if (bytes.size() > 32)
    throw std::invalid_argument(fmt::format("{} bytes do not fit in 256 bits", bytes.size()));
  uint256 value = 0;
  for (std::uint8_t byte : bytes) value = (value << 8) | byte;
  return value;
}

}  // namespace hepek::eth
