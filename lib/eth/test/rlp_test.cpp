#include <gtest/gtest.h>

#include "hepek/eth/rlp.hpp"
#include "vectors.hpp"

namespace hepek::eth {
namespace {

// ethereum/tests notation: strings are byte strings, integers are integers, arrays are lists.
RlpItem item_from_json(const nlohmann::json& in) {
  if (in.is_string()) return RlpItem::text(in.get<std::string>());
  if (in.is_number_unsigned()) return RlpItem::uint(in.get<std::uint64_t>());
  if (in.is_array()) {
    std::vector<RlpItem> children;
    for (const auto& child : in) children.push_back(item_from_json(child));
    return RlpItem::list(std::move(children));
  }
  throw std::invalid_argument("unsupported RLP vector input " + in.dump());
}

TEST(Rlp, PublishedValidVectorsEncodeAndDecode) {
  const auto& valid = test::vectors()["rlp_valid"];
  ASSERT_GE(valid.size(), 10u);
  for (const auto& vector : valid) {
    const RlpItem item = item_from_json(vector["in"]);
    const std::string expected = vector["out"].get<std::string>();
    EXPECT_EQ(to_hex(rlp_encode(item), false), expected) << vector.dump();
    EXPECT_EQ(rlp_decode(from_hex(expected)), item) << vector.dump();
  }
}

TEST(Rlp, PublishedInvalidVectorsAreRejected) {
  const auto& invalid = test::vectors()["rlp_invalid_must_reject"];
  ASSERT_GE(invalid.size(), 6u);
  for (const auto& vector : invalid)
    EXPECT_THROW(rlp_decode(from_hex(vector.get<std::string>())), RlpError) << vector;
}

TEST(Rlp, StrictDecoderRejectsOtherNonCanonicalForms) {
  const char* bad[] = {
      "",        // nothing
      "8080",    // trailing bytes
      "83646f",  // truncated string
      "c3646f",  // list payload runs past the end
      "b90038"
      "00",    // long length with a leading zero byte
      "b838",  // long string header, payload missing
      "bf"
      "ffffffffffffffff",  // 8-byte length far beyond the input
      "b7",                // 55-byte string header without payload
      "c2"
      "8100",  // non-canonical single byte inside a list
      "c1"
      "8180",    // list whose declared length cuts its item in half
      "f90000",  // long list length with leading zero
  };
  for (const char* hex : bad) EXPECT_THROW(rlp_decode(from_hex(hex)), RlpError) << hex;
}

TEST(Rlp, LongFormBoundaryAt56Bytes) {
  const RlpItem fifty_five = RlpItem::string(Bytes(55, 'a'));
  const RlpItem fifty_six = RlpItem::string(Bytes(56, 'a'));
  EXPECT_EQ(rlp_encode(fifty_five)[0], 0x80 + 55);
  const Bytes long_form = rlp_encode(fifty_six);
  EXPECT_EQ(long_form[0], 0xb8);
  EXPECT_EQ(long_form[1], 56);
  EXPECT_EQ(rlp_decode(long_form), fifty_six);
  EXPECT_EQ(rlp_decode(rlp_encode(fifty_five)), fifty_five);
  const RlpItem big = RlpItem::string(Bytes(1024, 0x42));
  const Bytes big_encoded = rlp_encode(big);
  EXPECT_EQ(to_hex(Bytes(big_encoded.begin(), big_encoded.begin() + 3), false), "b90400");
  EXPECT_EQ(rlp_decode(big_encoded), big);
  std::vector<RlpItem> many(30, RlpItem::text("ab"));  // 90-byte list payload
  const RlpItem list = RlpItem::list(many);
  const Bytes list_encoded = rlp_encode(list);
  EXPECT_EQ(list_encoded[0], 0xf8);
  EXPECT_EQ(rlp_decode(list_encoded), list);
}

RlpItem nested(int depth) {
  RlpItem item = RlpItem::list({});
  for (int i = 1; i < depth; ++i) {
    std::vector<RlpItem> children;
    children.push_back(std::move(item));
    item = RlpItem::list(std::move(children));
  }
  return item;
}

TEST(Rlp, DeepNestingIsRefusedWithoutCrashing) {
  EXPECT_EQ(rlp_decode(rlp_encode(nested(200))), nested(200));
  // Well-formed but absurdly deep input must be refused, not recursed into until the stack overflows.
  EXPECT_THROW(rlp_decode(rlp_encode(nested(2000))), RlpError);
  Bytes broken(5000, 0xc1);  // every list claims one byte but holds a two-byte list
  broken.back() = 0xc0;
  EXPECT_THROW(rlp_decode(broken), RlpError);
}

TEST(Rlp, IntegersHaveExactlyOneEncoding) {
  EXPECT_EQ(rlp_decode(from_hex("820400")).as_uint(), 1024);
  EXPECT_THROW(rlp_decode(from_hex("820001")).as_uint("nonce"), RlpError);
  EXPECT_THROW(rlp_decode(from_hex("00")).as_uint("nonce"), RlpError);
  EXPECT_THROW(rlp_decode(from_hex("a1"
                                   "01" +
                                   std::string(64, '0')))
                   .as_uint(),
               RlpError);  // 33 bytes
  EXPECT_THROW(rlp_decode(from_hex("c0")).as_uint(), RlpError);
  EXPECT_THROW(rlp_decode(from_hex("80")).as_list(), RlpError);
  EXPECT_EQ(rlp_decode(from_hex("80")).as_uint(), 0);
}

}  // namespace
}  // namespace hepek::eth
