#include <gtest/gtest.h>

#include "hepek/eth/keccak.hpp"
#include "hepek/eth/rlp.hpp"
#include "hepek/eth/transaction.hpp"
#include "hepek/eth/transaction_json.hpp"
#include "vectors.hpp"

namespace hepek::eth {
namespace {

const nlohmann::json& eip155() {
  return test::vectors()["eip155_example"];
}

TEST(Transaction, Eip155ExampleFromTheEipText) {
  const Transaction tx = transaction_from_json(eip155()["tx"]);
  EXPECT_EQ(to_hex(signing_payload(tx), false), eip155()["signing_data"].get<std::string>());
  EXPECT_EQ(to_hex(signing_hash(tx), false), eip155()["signing_hash"].get<std::string>());
  const PrivateKey key = PrivateKey::from_hex(eip155()["key"].get<std::string>());
  const SignedTransaction signed_tx = sign_transaction(tx, key);
  EXPECT_EQ(tx.chain_id * 2 + 35 + signed_tx.signature.v, eip155()["v"].get<std::uint64_t>());
  EXPECT_EQ(to_decimal(from_be(signed_tx.signature.r)), eip155()["r"].get<std::string>());
  EXPECT_EQ(to_decimal(from_be(signed_tx.signature.s)), eip155()["s"].get<std::string>());
  EXPECT_EQ(to_hex(signed_tx.raw(), false), eip155()["signed"].get<std::string>());

  const SignedTransaction decoded = decode_raw_transaction(from_hex(eip155()["signed"].get<std::string>()));
  EXPECT_EQ(decoded.tx, tx);
  EXPECT_EQ(decoded.signature, signed_tx.signature);
  EXPECT_EQ(decoded.sender(), key.address());
  EXPECT_EQ(decoded.hash(), keccak256(from_hex(eip155()["signed"].get<std::string>())));
}

Transaction sample_1559() {
  Transaction tx;
  tx.type = 2;
  tx.chain_id = 31337;
  tx.nonce = 7;
  tx.gas_limit = 90000;
  tx.max_fee_per_gas = parse_uint256("3000000000");
  tx.max_priority_fee_per_gas = parse_uint256("1000000000");
  tx.to = Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  tx.value = parse_units("1.25", 18);
  tx.data = from_hex("0xa9059cbb");
  tx.access_list = {
      {Address::parse("0x" + std::string(40, 'a')), {keccak256_text("slot0"), keccak256_text("slot1")}},
      {Address::parse("0x" + std::string(40, 'b')), {}}};
  return tx;
}

TEST(Transaction, Eip1559RoundTripsThroughRawEncoding) {
  const PrivateKey key =
      PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  const Transaction tx = sample_1559();
  const SignedTransaction signed_tx = sign_transaction(tx, key);
  const Bytes raw = signed_tx.raw();
  ASSERT_EQ(raw[0], 0x02);
  // The envelope is 0x02 || rlp(12 fields).
  const RlpItem body = rlp_decode(ByteView(raw).subspan(1));
  ASSERT_EQ(body.items.size(), 12u);
  EXPECT_EQ(body.items[8].items.size(), 2u);
  const SignedTransaction decoded = decode_raw_transaction(raw);
  EXPECT_EQ(decoded.tx, tx);
  EXPECT_EQ(decoded.sender(), key.address());
  EXPECT_EQ(decoded.hash(), signed_tx.hash());
  EXPECT_EQ(signing_payload(tx)[0], 0x02);
}

TEST(Transaction, ContractCreationEncodesAnEmptyTo) {
  const PrivateKey key =
      PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  Transaction tx = sample_1559();
  tx.to.reset();
  tx.data = from_hex("0x6080604052");
  const SignedTransaction signed_tx = sign_transaction(tx, key);
  const RlpItem body = rlp_decode(ByteView(signed_tx.raw()).subspan(1));
  EXPECT_FALSE(body.items[5].is_list);
  EXPECT_TRUE(body.items[5].bytes.empty());
  EXPECT_FALSE(decode_raw_transaction(signed_tx.raw()).tx.to.has_value());
}

TEST(Transaction, ContractAddressFromSenderAndNonce) {
  const Address sender = Address::parse("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
  EXPECT_EQ(contract_address(sender, 0).lower_hex(), "0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d");
  EXPECT_EQ(contract_address(sender, 1).lower_hex(), "0x343c43a37d37dff08ae8c4a11544c718abb4fcf8");
}

TEST(Transaction, DecodeRejectsHighSAndGarbage) {
  const PrivateKey key =
      PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  SignedTransaction signed_tx = sign_transaction(sample_1559(), key);
  signed_tx.signature.s = to_be32(from_be(curve_order()) - from_be(signed_tx.signature.s));
  signed_tx.signature.v ^= 1;
  EXPECT_THROW(decode_raw_transaction(signed_tx.raw()), SignatureError);
  EXPECT_THROW(decode_raw_transaction(Bytes{}), RlpError);
  EXPECT_THROW(decode_raw_transaction(Bytes{0x01, 0xc0}), RlpError);
  EXPECT_THROW(decode_raw_transaction(Bytes{0x02, 0xc0}), RlpError);
  Bytes raw = sign_transaction(sample_1559(), key).raw();
  raw.push_back(0);
  EXPECT_THROW(decode_raw_transaction(raw), RlpError);
}

// Found by fuzz_eth_rlp: a well-formed, low-s type 2 transaction whose priority fee exceeds its max fee (or a legacy
// one with v = 35, chain id 0) decoded, and then raw(), hash() and sender() threw std::invalid_argument from
// validate(). The decoder refuses it with an RlpError naming the field.
TEST(Transaction, DecodeRefusesWhatValidateRefuses) {
  const PrivateKey key =
      PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  // The fields of a good signed transaction, one of them changed, encoded again (raw() would refuse to).
  auto reencoded = [](const Bytes& raw, std::size_t field, const uint256& value) {
    const bool typed = raw[0] == 0x02;
    RlpItem list = rlp_decode(ByteView(raw).subspan(typed ? 1 : 0));
    list.items[field] = RlpItem::uint(value);
    Bytes out = typed ? Bytes{0x02} : Bytes{};
    const Bytes encoded = rlp_encode(list);
    out.insert(out.end(), encoded.begin(), encoded.end());
    return out;
  };
  const Bytes typed = sign_transaction(sample_1559(), key).raw();
  const Bytes priority_above_max = reencoded(typed, 2, parse_uint256("3000000001"));
  try {
    decode_raw_transaction(priority_above_max);
    ADD_FAILURE() << "decoded a priority fee above the max fee";
  } catch (const RlpError& error) {
    EXPECT_NE(std::string(error.what()).find("transaction: tx.maxPriorityFeePerGas: 3000000001 exceeds"),
              std::string::npos)
        << error.what();
  }
  Transaction legacy;
  legacy.type = 0;
  legacy.gas_price = 1;
  legacy.to = Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  const Bytes chain_zero = reencoded(sign_transaction(legacy, key).raw(), 6, 35);  // v = 35: chain id 0
  EXPECT_THROW(decode_raw_transaction(chain_zero), RlpError);
}

// Found by fuzz_eth_rlp: a raw transaction with gas 0 decoded, but its JSON form (transaction_to_json) was refused by
// the strict reader ("tx.gas: must be greater than 0"). validate() now has the rule, so the decoder, the signer and
// the JSON reader agree.
TEST(Transaction, GasZeroIsRefusedEverywhere) {
  const PrivateKey key =
      PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  Transaction tx = sample_1559();
  const Bytes raw = sign_transaction(tx, key).raw();
  RlpItem list = rlp_decode(ByteView(raw).subspan(1));
  list.items[4] = RlpItem::uint(0);  // gas
  Bytes zero_gas{0x02};
  const Bytes encoded = rlp_encode(list);
  zero_gas.insert(zero_gas.end(), encoded.begin(), encoded.end());
  try {
    decode_raw_transaction(zero_gas);
    ADD_FAILURE() << "decoded gas 0";
  } catch (const RlpError& error) {
    EXPECT_NE(std::string(error.what()).find("tx.gas: must be greater than 0"), std::string::npos)
        << error.what();
  }
  tx.gas_limit = 0;
  EXPECT_THROW(sign_transaction(tx, key), std::invalid_argument);
}

TEST(TransactionJson, AcceptsNumbersDecimalAndHexStrings) {
  const auto tx = transaction_from_json(nlohmann::json::parse(R"({
    "type": 2, "chainId": "0x7a69", "nonce": "3", "gas": 21000, "maxFeePerGas": "0x77359400",
    "maxPriorityFeePerGas": 1000000000, "to": null, "value": "1000000000000000000000", "data": "0x60",
    "accessList": [{"address": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "storageKeys": []}]})"));
  EXPECT_EQ(tx.chain_id, 31337u);
  EXPECT_EQ(tx.nonce, 3u);
  EXPECT_EQ(tx.max_fee_per_gas, 2000000000);
  EXPECT_FALSE(tx.to);
  EXPECT_EQ(tx.value, parse_units("1000", 18));
  EXPECT_EQ(tx.access_list.size(), 1u);
  EXPECT_EQ(transaction_from_json(transaction_to_json(tx)), tx);
}

TEST(TransactionJson, ErrorsNameTheBadField) {
  const auto base = nlohmann::json::parse(
      R"({"type": 2, "chainId": 1, "nonce": 0, "gas": 21000, "maxFeePerGas": 10, "maxPriorityFeePerGas": 1,
          "to": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"})");
  auto expect_error = [](nlohmann::json tx, const std::string& field) {
    try {
      transaction_from_json(tx);
      ADD_FAILURE() << "accepted " << tx.dump();
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find(field), std::string::npos) << error.what();
    }
  };
  auto with = [&](const char* key, nlohmann::json value) {
    auto tx = base;
    tx[key] = value;
    return tx;
  };
  auto without = [&](const char* key) {
    auto tx = base;
    tx.erase(key);
    return tx;
  };
  expect_error(without("chainId"), "tx.chainId");
  expect_error(without("maxFeePerGas"), "tx.maxFeePerGas");
  expect_error(with("nonce", -1), "tx.nonce");
  expect_error(with("nonce", 1.5), "tx.nonce");
  expect_error(with("nonce", "18446744073709551616"), "tx.nonce");
  expect_error(with("value", "12abc"), "tx.value");
  expect_error(with("data", "0xzz"), "tx.data");
  expect_error(with("to", "0x1234"), "tx.to");
  expect_error(with("to", 5), "tx.to");
  expect_error(with("gasPrice", 5), "tx.gasPrice");
  expect_error(with("type", 1), "tx.type");
  expect_error(with("colour", "red"), "tx.colour");
  expect_error(with("maxPriorityFeePerGas", 11), "tx.maxPriorityFeePerGas");
  expect_error(with("accessList", nlohmann::json::array({{{"address", "0x12"}}})),
               "tx.accessList[0].address");
  auto legacy = base;
  legacy["type"] = 0;
  expect_error(legacy, "tx.maxFeePerGas");
  legacy.erase("maxFeePerGas");
  legacy.erase("maxPriorityFeePerGas");
  expect_error(legacy, "tx.gasPrice");
}

}  // namespace
}  // namespace hepek::eth
