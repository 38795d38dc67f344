#include <gtest/gtest.h>

#include "hepek/eth/eip712.hpp"
#include "hepek/eth/keccak.hpp"
#include "hepek/eth/keys.hpp"
#include "hepek/eth/typed_messages.hpp"
#include "vectors.hpp"

namespace hepek::eth {
namespace {

const nlohmann::json& mail() {
  return test::vectors()["eip712_mail"];
}

Eip712Types mail_types() {
  return Eip712Types::from_json(nlohmann::json::parse(R"({
    "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
    "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"}, {"name": "contents", "type": "string"}]
  })"));
}

Eip712Domain mail_domain() {
  const auto& domain = mail()["domain"];
  return {domain["name"].get<std::string>(), domain["version"].get<std::string>(),
          domain["chainId"].get<std::uint64_t>(),
          Address::parse(domain["verifyingContract"].get<std::string>())};
}

TEST(Eip712, MailExampleHashes) {
  const Eip712Types types = mail_types();
  EXPECT_EQ(types.encode_type("Mail"), mail()["encode_type"].get<std::string>());
  EXPECT_EQ(to_hex(types.type_hash("Mail"), false), mail()["type_hash_mail"].get<std::string>());
  const Bytes32 separator = domain_separator(mail_domain());
  EXPECT_EQ(to_hex(separator, false), mail()["domain_separator"].get<std::string>());
  const Bytes32 struct_hash = types.hash_struct("Mail", mail()["message"]);
  EXPECT_EQ(to_hex(struct_hash, false), mail()["hash_struct_mail"].get<std::string>());
  EXPECT_EQ(to_hex(typed_data_digest(separator, struct_hash), false), mail()["digest"].get<std::string>());
}

TEST(Eip712, MailExampleSignature) {
  EXPECT_EQ(to_hex(keccak256_text(mail()["key_is_keccak256_of_text"].get<std::string>()), false),
            mail()["key"].get<std::string>());
  const PrivateKey key = PrivateKey::from_hex(mail()["key"].get<std::string>());
  EXPECT_EQ(key.address().checksummed(), mail()["signer"].get<std::string>());
  const Bytes32 digest = bytes32_from_hex(mail()["digest"].get<std::string>());
  const Signature signature = key.sign(digest);
  EXPECT_EQ(to_hex(signature.r, false), mail()["r"].get<std::string>());
  EXPECT_EQ(to_hex(signature.s, false), mail()["s"].get<std::string>());
  EXPECT_EQ(signature.v + 27, mail()["v"].get<int>());
  EXPECT_EQ(recover_address(digest, signature), key.address());
}

TEST(Eip712, BalanceProofFastPathMatchesTheGenericEncoder) {
  Eip712Types types;
  types.add("BalanceProof", {{"channelId", "bytes32"},
                             {"cumulativeAmount", "uint256"},
                             {"cumulativeImportWh", "uint256"},
                             {"cycle", "uint64"}});
  EXPECT_EQ(types.encode_type("BalanceProof"), kBalanceProofType);
  BalanceProof proof;
  proof.channel_id = keccak256_text("channel-7");
  proof.cumulative_amount = parse_units("12.345678901234567891", 18);
  proof.cumulative_import_wh = 123456;
  proof.cycle = 96;
  const nlohmann::json message = {{"channelId", to_hex(proof.channel_id)},
                                  {"cumulativeAmount", to_decimal(proof.cumulative_amount)},
                                  {"cumulativeImportWh", 123456},
                                  {"cycle", "0x60"}};
  EXPECT_EQ(proof.hash_struct(), types.hash_struct("BalanceProof", message));
  const Bytes32 separator =
      domain_separator({"ERGON PaymentChannel", "1", 31337, Address::parse("0x" + std::string(40, '5'))});
  EXPECT_EQ(proof.digest(separator),
            typed_data_digest(separator, types.hash_struct("BalanceProof", message)));
  // Every field is bound: changing any one changes the digest.
  BalanceProof other = proof;
  other.cycle = 97;
  EXPECT_NE(other.digest(separator), proof.digest(separator));
  EXPECT_NE(proof.digest(domain_separator(
                {"ERGON PaymentChannel", "1", 1, Address::parse("0x" + std::string(40, '5'))})),
            proof.digest(separator));
}

TEST(Eip712, PermitTypeHashIsTheErc2612Constant) {
  EXPECT_EQ(to_hex(keccak256_text(kPermitType), false),
            "6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9");
  Eip712Types types;
  types.add("Permit", {{"owner", "address"},
                       {"spender", "address"},
                       {"value", "uint256"},
                       {"nonce", "uint256"},
                       {"deadline", "uint256"}});
  Permit permit{Address::parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
                Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), parse_units("100", 18), 0,
                1900000000};
  const nlohmann::json message = {{"owner", permit.owner.checksummed()},
                                  {"spender", permit.spender.lower_hex()},
                                  {"value", to_decimal(permit.value)},
                                  {"nonce", 0},
                                  {"deadline", 1900000000}};
  EXPECT_EQ(permit.hash_struct(), types.hash_struct("Permit", message));
}

TEST(Eip712, BadMessagesNameTheField) {
  Eip712Types types;
  types.add("BalanceProof", {{"channelId", "bytes32"}, {"cycle", "uint64"}});
  auto expect_error = [&](const nlohmann::json& message, const std::string& fragment) {
    try {
      types.hash_struct("BalanceProof", message);
      ADD_FAILURE() << "accepted " << message.dump();
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
    }
  };
  const std::string channel = to_hex(keccak256_text("c"));
  expect_error({{"channelId", channel}}, "BalanceProof.cycle");
  expect_error({{"channelId", channel}, {"cycle", "18446744073709551616"}}, "BalanceProof.cycle");
  expect_error({{"channelId", "0x1234"}, {"cycle", 1}}, "BalanceProof.channelId");
  expect_error({{"channelId", channel}, {"cycle", -1}}, "BalanceProof.cycle");
  EXPECT_THROW(types.hash_struct("Nope", nlohmann::json::object()), std::invalid_argument);
}

}  // namespace
}  // namespace hepek::eth
