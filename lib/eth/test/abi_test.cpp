#include <random>

#include <gtest/gtest.h>

#include "hepek/eth/abi.hpp"
#include "hepek/eth/keccak.hpp"

namespace hepek::eth {
namespace {

std::string words(std::initializer_list<const char*> parts) {
  std::string out;
  for (const char* part : parts) out += part;
  return out;
}

TEST(Abi, SelectorsAndTopicsOfWellKnownSignatures) {
  EXPECT_EQ(to_hex(function_selector("transfer(address,uint256)"), false), "a9059cbb");
  EXPECT_EQ(to_hex(function_selector("balanceOf(address)"), false), "70a08231");
  EXPECT_EQ(to_hex(function_selector("approve(address,uint256)"), false), "095ea7b3");
  EXPECT_EQ(to_hex(event_topic("Transfer(address indexed from, address indexed to, uint256 value)"), false),
            "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
  EXPECT_EQ(to_hex(event_topic("Approval(address,address,uint256)"), false),
            "8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925");
  EXPECT_EQ(AbiSignature::parse("f(uint, (uint8,bytes)[] calldata xs)").canonical(),
            "f(uint256,(uint8,bytes)[])");
}

TEST(Abi, SolidityDocumentationExampleWithDynamicTypes) {
  // The Solidity ABI specification's example: f(uint256,uint32[],bytes10,bytes) called with
  // (0x123, [0x456, 0x789], "1234567890", "Hello, world!").
  const Bytes call = encode_call(
      "f(uint256,uint32[],bytes10,bytes)",
      {AbiValue::uint(0x123), AbiValue::array({AbiValue::uint(0x456), AbiValue::uint(0x789)}),
       AbiValue::bytes(Bytes{'1', '2', '3', '4', '5', '6', '7', '8', '9', '0'}),
       AbiValue::bytes(Bytes(as_bytes("Hello, world!").begin(), as_bytes("Hello, world!").end()))});
  EXPECT_EQ(to_hex(call, false),
            words({"8be65246", "0000000000000000000000000000000000000000000000000000000000000123",
                   "0000000000000000000000000000000000000000000000000000000000000080",
                   "3132333435363738393000000000000000000000000000000000000000000000",
                   "00000000000000000000000000000000000000000000000000000000000000e0",
                   "0000000000000000000000000000000000000000000000000000000000000002",
                   "0000000000000000000000000000000000000000000000000000000000000456",
                   "0000000000000000000000000000000000000000000000000000000000000789",
                   "000000000000000000000000000000000000000000000000000000000000000d",
                   "48656c6c6f2c20776f726c642100000000000000000000000000000000000000"}));
}

// Seen by fuzz_eth_abi (its invariant wrote a list bare): parse_list reads "(a,b)" as the list a,b, the inside of
// a signature's parentheses, so a list of one tuple must be written with both pairs.
TEST(Abi, ParseListReadsOuterParenthesesAsTheList) {
  EXPECT_EQ(AbiType::parse_list("(uint256,bool)").size(), 2u);
  EXPECT_TRUE(AbiType::parse_list("()").empty());
  const auto one_tuple = AbiType::parse_list("((uint256,bool))");
  ASSERT_EQ(one_tuple.size(), 1u);
  EXPECT_EQ(one_tuple[0].canonical(), "(uint256,bool)");
  const auto empty_tuple = AbiType::parse_list("(())");
  ASSERT_EQ(empty_tuple.size(), 1u);
  EXPECT_EQ(empty_tuple[0].canonical(), "()");
  EXPECT_EQ(AbiType::parse_list("(uint8),(bool)").size(), 2u);  // two tuples: the outer pair does not enclose
}

TEST(Abi, RoundTripsEveryType) {
  std::mt19937_64 rng(42);
  const auto types = AbiType::parse_list(
      "uint256,uint64,uint32,uint8,address,bool,bytes32,bytes,string,uint256[],string[],bytes32[2],(uint64,"
      "string)[],"
      "(address,(bool,bytes))");
  ASSERT_EQ(types.size(), 14u);
  for (int round = 0; round < 20; ++round) {
    Bytes32 word;
    for (auto& b : word) b = static_cast<std::uint8_t>(rng());
    Address address;
    for (auto& b : address.bytes) b = static_cast<std::uint8_t>(rng());
    Bytes blob(rng() % 70);
    for (auto& b : blob) b = static_cast<std::uint8_t>(rng());
    const std::string text(rng() % 40, static_cast<char>('a' + rng() % 26));
    AbiValue::Array numbers;
    for (std::size_t i = 0; i < rng() % 4; ++i) numbers.push_back(AbiValue::uint(from_be(word) >> (i * 8)));
    const std::vector<AbiValue> values = {
        AbiValue::uint(from_be(word)),
        AbiValue::uint(rng()),
        AbiValue::uint(rng() & 0xffffffff),
        AbiValue::uint(rng() & 0xff),
        AbiValue::address(address),
        AbiValue::boolean(rng() % 2 == 0),
        AbiValue::bytes32(word),
        AbiValue::bytes(blob),
        AbiValue::string(text),
        AbiValue::array(numbers),
        AbiValue::array(
            {AbiValue::string(text), AbiValue::string(""), AbiValue::string(std::string(33, 'z'))}),
        AbiValue::array({AbiValue::bytes32(word), AbiValue::bytes32(keccak256(word))}),
        AbiValue::array({AbiValue::array({AbiValue::uint(7), AbiValue::string(text)})}),
        AbiValue::array(
            {AbiValue::address(address), AbiValue::array({AbiValue::boolean(true), AbiValue::bytes(blob)})}),
    };
    const Bytes encoded = abi_encode(types, values);
    EXPECT_EQ(encoded.size() % 32, 0u);
    EXPECT_EQ(abi_decode(types, encoded), values) << "round " << round;
  }
}

TEST(Abi, EncodeRejectsValuesThatDoNotFitNamingTheArgument) {
  const auto types = AbiType::parse_list("uint256,uint8");
  try {
    abi_encode(types, {AbiValue::uint(1), AbiValue::uint(256)});
    FAIL();
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("argument[1]"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("uint8"), std::string::npos) << error.what();
  }
  EXPECT_THROW(abi_encode(types, {AbiValue::uint(1)}), std::invalid_argument);
  EXPECT_THROW(abi_encode(types, {AbiValue::string("x"), AbiValue::uint(1)}), std::invalid_argument);
  EXPECT_THROW(abi_encode(AbiType::parse_list("bytes32"), {AbiValue::bytes(Bytes(31, 0))}),
               std::invalid_argument);
  EXPECT_THROW(abi_encode(AbiType::parse_list("uint8[2]"), {AbiValue::array({AbiValue::uint(1)})}),
               std::invalid_argument);
  for (const char* bad :
       {"int256", "uint7", "uint264", "bytes33", "bytes0", "foo", "uint256[", "(uint256", "uint[0]"})
    EXPECT_THROW(AbiType::parse(bad), std::invalid_argument) << bad;
}

TEST(Abi, DecodeRejectsMalformedDataWithoutReadingOutOfBounds) {
  const auto uint_type = AbiType::parse_list("uint256");
  EXPECT_THROW(abi_decode(uint_type, Bytes(31, 0)), AbiError);
  const auto string_type = AbiType::parse_list("string");
  Bytes offset_past_end(32, 0);
  offset_past_end[31] = 0x40;
  EXPECT_THROW(abi_decode(string_type, offset_past_end), AbiError);
  Bytes huge_length = from_hex(words({"0000000000000000000000000000000000000000000000000000000000000020",
                                      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"}));
  EXPECT_THROW(abi_decode(string_type, huge_length), AbiError);
  Bytes long_array = from_hex(words({"0000000000000000000000000000000000000000000000000000000000000020",
                                     "00000000000000000000000000000000000000000000000000000000000f4240"}));
  EXPECT_THROW(abi_decode(AbiType::parse_list("uint256[]"), long_array), AbiError);
  Bytes dirty_bool(32, 0);
  dirty_bool[31] = 2;
  EXPECT_THROW(abi_decode(AbiType::parse_list("bool"), dirty_bool), AbiError);
  Bytes dirty_address(32, 0);
  dirty_address[0] = 1;
  EXPECT_THROW(abi_decode(AbiType::parse_list("address"), dirty_address), AbiError);
  Bytes too_big_uint8(32, 0);
  too_big_uint8[30] = 1;
  EXPECT_THROW(abi_decode(AbiType::parse_list("uint8"), too_big_uint8), AbiError);
  Bytes dirty_bytes4(32, 0);
  dirty_bytes4[5] = 1;
  EXPECT_THROW(abi_decode(AbiType::parse_list("bytes4"), dirty_bytes4), AbiError);
  // Truncations of a valid encoding never decode.
  const auto types = AbiType::parse_list("string,uint256[]");
  const Bytes valid = abi_encode(types, {AbiValue::string("hello"), AbiValue::array({AbiValue::uint(1)})});
  for (std::size_t cut = 0; cut < valid.size(); cut += 7)
    EXPECT_THROW(abi_decode(types, ByteView(valid).first(cut)), AbiError) << cut;
}

TEST(Abi, DecodesEventLogs) {
  Address from;
  from.bytes.fill(0x11);
  Address to;
  to.bytes.fill(0x22);
  Log log;
  log.topics = {event_topic("Transfer(address,address,uint256)"), from.to_word(), to.to_word()};
  log.data = abi_encode(AbiType::parse_list("uint256"), {AbiValue::uint(1000)});
  const auto values = decode_log("Transfer(address indexed from,address indexed to,uint256 value)", log);
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[0].as_address(), from);
  EXPECT_EQ(values[1].as_address(), to);
  EXPECT_EQ(values[2].as_uint(), 1000);
  EXPECT_THROW(decode_log("Approval(address indexed,address indexed,uint256)", log), AbiError);
  EXPECT_THROW(decode_log("Transfer(address indexed,address,uint256)", log), AbiError);

  Log named;
  named.topics = {event_topic("Named(string,uint256)"), keccak256_text("device-1")};
  named.data = abi_encode(AbiType::parse_list("uint256"), {AbiValue::uint(5)});
  const auto decoded = decode_log("Named(string indexed id,uint256 n)", named);
  EXPECT_EQ(decoded[0].as_bytes32(), keccak256_text("device-1"));
  EXPECT_EQ(decoded[1].as_uint64(), 5u);
}

}  // namespace
}  // namespace hepek::eth
