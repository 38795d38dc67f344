#include <random>

#include <gtest/gtest.h>

#include "hepek/eth/hex.hpp"
#include "hepek/eth/uint256.hpp"

namespace hepek::eth {
namespace {

const char* kMaxDecimal = "115792089237316195423570985008687907853269984665640564039457584007913129639935";

TEST(Hex, RoundTripsAndAcceptsPrefixAndCase) {
  EXPECT_EQ(to_hex(from_hex("0x00ff10AB")), "0x00ff10ab");
  EXPECT_EQ(to_hex(from_hex("00FF"), false), "00ff");
  EXPECT_TRUE(from_hex("0x").empty());
  EXPECT_TRUE(from_hex("").empty());
}

TEST(Hex, RejectsOddLengthAndBadCharactersNamingTheInput) {
  try {
    from_hex("0xabc", "tx.data");
    FAIL() << "odd length accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("tx.data"), std::string::npos);
  }
  try {
    from_hex("0x12zz", "--key");
    FAIL() << "bad character accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("position 4"), std::string::npos) << error.what();
  }
  EXPECT_THROW(bytes32_from_hex("0x00"), std::invalid_argument);
}

TEST(Uint256, ParsesDecimalAndHexUpToTheMaximum) {
  EXPECT_EQ(parse_uint256("0"), 0);
  EXPECT_EQ(parse_uint256("007"), 7);
  EXPECT_EQ(parse_uint256("0x3e8"), 1000);
  EXPECT_EQ(parse_uint256("0X3E8"), 1000);
  const uint256 max = parse_uint256(kMaxDecimal);
  EXPECT_EQ(max, std::numeric_limits<uint256>::max());
  EXPECT_EQ(parse_uint256("0x" + std::string(64, 'f')), max);
  EXPECT_EQ(to_decimal(max), kMaxDecimal);
}

TEST(Uint256, RejectsOverflowAndJunk) {
  EXPECT_THROW(
      parse_uint256("115792089237316195423570985008687907853269984665640564039457584007913129639936"),
      std::invalid_argument);
  EXPECT_THROW(parse_uint256("1" + std::string(78, '0')), std::invalid_argument);
  EXPECT_THROW(parse_uint256("0x1" + std::string(64, '0')), std::invalid_argument);
  for (const char* bad : {"", "0x", "-1", "+1", " 1", "1 ", "1.0", "1e18", "0xg", "12a", "0b1"})
    EXPECT_THROW(parse_uint256(bad, "amount"), std::invalid_argument) << "accepted '" << bad << "'";
  try {
    parse_uint256("12a", "tx.value");
    FAIL();
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("tx.value"), std::string::npos);
  }
  EXPECT_EQ(parse_uint64("18446744073709551615"), 18446744073709551615ull);
  EXPECT_THROW(parse_uint64("18446744073709551616"), std::invalid_argument);
}

TEST(Uint256, DecimalRoundTripsAcrossChunkBoundaries) {
  std::mt19937_64 rng(5);
  for (std::size_t length = 1; length <= 77; ++length) {
    std::string digits(length, '0');
    for (auto& digit : digits) digit = static_cast<char>('0' + rng() % 10);
    digits[0] = static_cast<char>('1' + rng() % 9);
    EXPECT_EQ(to_decimal(parse_uint256(digits)), digits);
    std::string power_of_ten(length, '0');
    power_of_ten[0] = '1';
    EXPECT_EQ(to_decimal(parse_uint256(power_of_ten)), power_of_ten);
  }
  EXPECT_EQ(to_decimal(0), "0");
  EXPECT_EQ(to_decimal(uint256(10'000'000'000'000'000'000ull) - 1), "9999999999999999999");
}

TEST(Uint256, QuantityHexIsMinimal) {
  EXPECT_EQ(to_quantity_hex(0), "0x0");
  EXPECT_EQ(to_quantity_hex(1), "0x1");
  EXPECT_EQ(to_quantity_hex(0x1000), "0x1000");
  EXPECT_EQ(to_quantity_hex(std::numeric_limits<uint256>::max()), "0x" + std::string(64, 'f'));
}

TEST(Uint256, CheckedArithmeticThrowsInsteadOfWrapping) {
  const uint256 max = std::numeric_limits<uint256>::max();
  EXPECT_THROW(checked_add(max, 1), std::overflow_error);
  EXPECT_THROW(checked_sub(1, 2), std::overflow_error);
  EXPECT_THROW(checked_mul(max / 2 + 1, 2), std::overflow_error);
  EXPECT_EQ(checked_add(max - 1, 1), max);
  EXPECT_EQ(checked_sub(5, 5), 0);
  EXPECT_EQ(checked_mul(max / 2, 2), max - 1);
}

TEST(Uint256, UnitsWithEighteenDecimalsAreExact) {
  EXPECT_EQ(parse_units("1.5", 18), uint256("1500000000000000000"));
  EXPECT_EQ(parse_units("0.000000000000000001", 18), 1);
  EXPECT_EQ(parse_units("1000000", 18), uint256("1000000000000000000000000"));
  EXPECT_EQ(parse_units(".25", 2), 25);
  EXPECT_THROW(parse_units("0.0000000000000000001", 18), std::invalid_argument);  // 19 decimals: no rounding
  for (const char* bad : {"", ".", "1.", "1.2.3", "-1", "1,5", "abc"})
    EXPECT_THROW(parse_units(bad, 18), std::invalid_argument) << bad;
  EXPECT_THROW(parse_units(std::string(80, '9'), 18), std::invalid_argument);
  EXPECT_EQ(format_units(uint256("1500000000000000000"), 18), "1.5");
  EXPECT_EQ(format_units(1, 18), "0.000000000000000001");
  EXPECT_EQ(format_units(0, 18), "0");
  EXPECT_EQ(format_units(uint256("25000000000000000000"), 18), "25");
  for (const char* amount : {"0.1", "123.456789012345678", "7"})
    EXPECT_EQ(format_units(parse_units(amount, 18), 18), amount);
}

TEST(Uint256, BigEndianConversions) {
  const uint256 value = parse_uint256("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
  const Bytes32 word = to_be32(value);
  EXPECT_EQ(word[0], 0x01);
  EXPECT_EQ(word[31], 0x20);
  EXPECT_EQ(from_be(word), value);
  EXPECT_TRUE(to_be_minimal(0).empty());
  EXPECT_EQ(to_be_minimal(0x0100), (Bytes{0x01, 0x00}));
  EXPECT_THROW(from_be(Bytes(33, 1)), std::invalid_argument);
}

}  // namespace
}  // namespace hepek::eth
