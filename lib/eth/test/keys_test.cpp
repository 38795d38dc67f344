#include <random>

#include <gtest/gtest.h>

#include "hepek/eth/address.hpp"
#include "hepek/eth/keccak.hpp"
#include "hepek/eth/keys.hpp"
#include "hepek/eth/uint256.hpp"
#include "vectors.hpp"

namespace hepek::eth {
namespace {

using test::vectors;

TEST(Keccak, PublishedVectors) {
  for (const auto& vector : vectors()["keccak256"]) {
    const Bytes32 hash = vector.contains("input_text")
                             ? keccak256_text(vector["input_text"].get<std::string>())
                             : keccak256(from_hex(vector["input_hex"].get<std::string>()));
    EXPECT_EQ(to_hex(hash, false), vector["hash"].get<std::string>());
  }
  EXPECT_EQ(vectors()["keccak256"].size(), 2u);
}

TEST(Keys, AddressFromPrivateKeyVectors) {
  for (const auto& vector : vectors()["address_from_private_key"]) {
    const PrivateKey key = PrivateKey::from_hex(vector["key"].get<std::string>());
    EXPECT_EQ(key.address().checksummed(), vector["address"].get<std::string>());
  }
}

TEST(Keys, RejectsInvalidPrivateKeys) {
  EXPECT_THROW(PrivateKey::from_hex(std::string(64, '0')), std::invalid_argument);
  EXPECT_THROW(PrivateKey::from_hex(to_hex(curve_order())), std::invalid_argument);
  EXPECT_THROW(PrivateKey::from_hex("0x1234"), std::invalid_argument);
  try {
    PrivateKey::from_hex(std::string(63, '1') + "z", "--key");
    FAIL();
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("--key"), std::string::npos);
  }
}

TEST(Eip55, SpecificationExamples) {
  // From the EIP-55 text: all-caps, all-lower and mixed-case examples.
  for (const char* text :
       {"0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"}) {
    const Address address = Address::parse(text);
    EXPECT_TRUE(is_valid_checksum_address(address.checksummed())) << text;
    EXPECT_EQ(Address::parse(address.lower_hex()), address);
  }
  for (const char* mixed :
       {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"}) {
    EXPECT_EQ(Address::parse(mixed).checksummed(), mixed);
    EXPECT_TRUE(is_valid_checksum_address(mixed));
  }
}

TEST(Eip55, RejectsWrongChecksumAndMalformedAddresses) {
  // One letter's case flipped: a typo must not silently become another account.
  EXPECT_THROW(Address::parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"), std::invalid_argument);
  EXPECT_FALSE(is_valid_checksum_address("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
  EXPECT_THROW(Address::parse_checksummed("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
               std::invalid_argument);
  EXPECT_THROW(Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea"), std::invalid_argument);
  EXPECT_THROW(Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaedff"), std::invalid_argument);
  EXPECT_THROW(Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beagg"), std::invalid_argument);
  Bytes32 dirty{};
  dirty[0] = 1;
  EXPECT_THROW(Address::from_word(dirty), std::invalid_argument);
}

// A fixed-seed stream of keys and digests so failures reproduce.
struct SeededInputs {
  std::mt19937_64 rng{20260415};
  Bytes32 next32() {
    Bytes32 out;
    for (auto& byte : out) byte = static_cast<std::uint8_t>(rng());
    return out;
  }
};

TEST(Signatures, RecoverReturnsTheSignerAndSignaturesAreLowS) {
  SeededInputs inputs;
  for (int i = 0; i < 50; ++i) {
    const PrivateKey key = PrivateKey::from_bytes(inputs.next32());
    const Bytes32 digest = inputs.next32();
    const Signature signature = key.sign(digest);
    EXPECT_LE(signature.v, 1);
    EXPECT_TRUE(is_low_s(signature.s));
    EXPECT_EQ(recover_address(digest, signature), key.address());
    EXPECT_EQ(Signature::from_bytes(signature.to_bytes()), signature);
    Bytes32 other = digest;
    other[0] ^= 1;
    // A different digest recovers some other key (or none), never the signer.
    try {
      EXPECT_NE(recover_address(other, signature), key.address());
    } catch (const SignatureError&) {
    }
  }
}

TEST(Signatures, HighSIsRejected) {
  SeededInputs inputs;
  const PrivateKey key = PrivateKey::from_bytes(inputs.next32());
  const Bytes32 digest = inputs.next32();
  const Signature signature = key.sign(digest);
  // The malleable twin (r, n - s, v ^ 1) is a mathematically valid signature by the same key: it must be
  // refused.
  Signature twin = signature;
  twin.s = to_be32(from_be(curve_order()) - from_be(signature.s));
  twin.v = static_cast<std::uint8_t>(signature.v ^ 1);
  EXPECT_FALSE(is_low_s(twin.s));
  EXPECT_THROW(recover_address(digest, twin), SignatureError);
}

TEST(Signatures, MalformedSignaturesAreRejected) {
  SeededInputs inputs;
  const PrivateKey key = PrivateKey::from_bytes(inputs.next32());
  const Bytes32 digest = inputs.next32();
  Signature signature = key.sign(digest);
  auto bytes = signature.to_bytes();
  bytes[64] = 27 + signature.v;
  EXPECT_EQ(Signature::from_bytes(bytes), signature);
  bytes[64] = 2;
  EXPECT_THROW(Signature::from_bytes(bytes), SignatureError);
  EXPECT_THROW(Signature::from_bytes(Bytes(64, 1)), SignatureError);
  Signature zero_r = signature;
  zero_r.r = {};
  EXPECT_THROW(recover_address(digest, zero_r), SignatureError);
  Signature big_r = signature;
  big_r.r = curve_order();
  EXPECT_THROW(recover_address(digest, big_r), SignatureError);
  Signature bad_v = signature;
  bad_v.v = 4;
  EXPECT_THROW(recover_address(digest, bad_v), SignatureError);
}

TEST(Keys, GeneratedKeysAreDistinctAndUsable) {
  const PrivateKey a = PrivateKey::generate();
  const PrivateKey b = PrivateKey::generate();
  EXPECT_NE(a.address(), b.address());
  const Bytes32 digest = keccak256_text("hepek");
  EXPECT_EQ(recover_address(digest, a.sign(digest)), a.address());
}

}  // namespace
}  // namespace hepek::eth
