// Decoders fed with seeded random and mutated input: they may only return a value or throw their documented
// error.
#include <random>

#include <gtest/gtest.h>

#include "hepek/eth/abi.hpp"
#include "hepek/eth/rlp.hpp"
#include "hepek/eth/transaction.hpp"

namespace hepek::eth {
namespace {

Bytes random_bytes(std::mt19937_64& rng, std::size_t max_size) {
  Bytes out(rng() % (max_size + 1));
  for (auto& byte : out) byte = static_cast<std::uint8_t>(rng());
  return out;
}

TEST(Garbage, RlpAndTransactionDecodersNeverCrash) {
  std::mt19937_64 rng(1234);
  const PrivateKey key =
      PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  Transaction tx;
  tx.chain_id = 31337;
  tx.to = key.address();
  tx.max_fee_per_gas = 100;
  tx.data = Bytes(40, 7);
  tx.access_list = {{key.address(), {Bytes32{}}}};
  const Bytes valid = sign_transaction(tx, key).raw();
  int decoded = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes input = i % 2 ? random_bytes(rng, 80) : valid;
    if (i % 2 == 0)  // mutate a few bytes of a valid transaction
      for (int m = 0; m < 1 + static_cast<int>(rng() % 3); ++m)
        input[rng() % input.size()] = static_cast<std::uint8_t>(rng());
    try {
      rlp_decode(input);
      ++decoded;
    } catch (const RlpError&) {
    }
    try {
      decode_raw_transaction(input);
    } catch (const RlpError&) {
    } catch (const SignatureError&) {
    }
  }
  EXPECT_GT(decoded, 0);  // the mutations are not all rejected: the decoder does accept well-formed input
}

TEST(Garbage, AbiDecoderNeverCrashes) {
  std::mt19937_64 rng(99);
  const auto types = AbiType::parse_list("uint256,string,(uint64,bytes)[],bool,address,bytes32[2]");
  const Bytes valid =
      abi_encode(types, {AbiValue::uint(5), AbiValue::string("hello world"),
                         AbiValue::array({AbiValue::array({AbiValue::uint(1), AbiValue::bytes({1, 2})})}),
                         AbiValue::boolean(true), AbiValue::address(Address{}),
                         AbiValue::array({AbiValue::bytes32({}), AbiValue::bytes32({})})});
  int decoded = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes input = i % 2 ? random_bytes(rng, 600) : valid;
    if (i % 2 == 0) input[rng() % input.size()] = static_cast<std::uint8_t>(rng());
    try {
      abi_decode(types, input);
      ++decoded;
    } catch (const AbiError&) {
    }
  }
  EXPECT_GT(decoded, 0);
}

}  // namespace
}  // namespace hepek::eth
