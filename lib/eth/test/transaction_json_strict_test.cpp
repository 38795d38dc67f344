// Strict transaction JSON (issue 9, item 6): every form the review found accepted is refused with an error naming
// the field, and the documented forms are accepted.
#include <gtest/gtest.h>

#include <string>

#include "hepek/eth/transaction_json.hpp"

namespace hepek::eth {
namespace {

const char* const kTo = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

nlohmann::json base() {
  return {{"type", 2},    {"chainId", 1},       {"nonce", 0},
          {"gas", 21000}, {"maxFeePerGas", 10}, {"maxPriorityFeePerGas", 1},
          {"to", kTo}};
}

nlohmann::json with(const char* key, nlohmann::json value) {
  auto tx = base();
  tx[key] = std::move(value);
  return tx;
}

// The error must name the field and contain `what` (the reason).
void expect_error(const nlohmann::json& tx, const std::string& field, const std::string& what) {
  try {
    transaction_from_json(tx);
    ADD_FAILURE() << "accepted " << tx.dump();
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind(field + ":", 0), 0u) << message;
    EXPECT_NE(message.find(what), std::string::npos) << message;
  }
}

void expect_text_error(const std::string& text, const std::string& what) {
  try {
    transaction_from_json_text(text);
    ADD_FAILURE() << "accepted " << text;
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find(what), std::string::npos) << error.what();
  }
}

TEST(TransactionJsonStrict, ContractCreationOnlyWithToNull) {
  EXPECT_FALSE(transaction_from_json(with("to", nullptr)).to);
  EXPECT_EQ(transaction_from_json(base()).to->checksummed(), kTo);
  expect_error(with("to", ""), "tx.to", "empty string; give an address, or null for a contract creation");
  auto missing = base();
  missing.erase("to");
  expect_error(missing, "tx.to", "missing (an address, or null for a contract creation)");
  expect_error(with("to", "70997970C51812dc3A010C7d01b50e0d17dc79C8"), "tx.to", "0x-prefixed");
  expect_error(with("to", "0X70997970C51812dc3A010C7d01b50e0d17dc79C8"), "tx.to", "0x-prefixed");
  expect_error(with("to", false), "tx.to", "0x-prefixed");
}

TEST(TransactionJsonStrict, GasMustBePositive) {
  expect_error(with("gas", 0), "tx.gas", "must be greater than 0");
  expect_error(with("gas", "0x0"), "tx.gas", "must be greater than 0");
  auto limit = base();
  limit.erase("gas");
  limit["gasLimit"] = "0";
  expect_error(limit, "tx.gasLimit", "must be greater than 0");
  limit["gasLimit"] = "0x5208";
  EXPECT_EQ(transaction_from_json(limit).gas_limit, 21000u);
}

TEST(TransactionJsonStrict, HexFieldsNeedThe0xPrefixAndValidDigits) {
  expect_error(with("data", "6080"), "tx.data", "0x-prefixed");
  expect_error(with("data", "0X6080"), "tx.data", "0x-prefixed");
  expect_error(with("data", nullptr), "tx.data", "0x-prefixed");
  expect_error(with("data", 6080), "tx.data", "0x-prefixed");
  expect_error(with("data", "0x608"), "tx.data", "");
  expect_error(with("data", "0x60zz"), "tx.data", "");
  auto input = base();
  input["input"] = "6080";
  expect_error(input, "tx.input", "0x-prefixed");
  expect_error(with("value", "0x"), "tx.value", "");
  expect_error(with("value", "0xg1"), "tx.value", "");
  const std::string key(64, '0');
  expect_error(with("accessList", nlohmann::json::array({{{"address", std::string(kTo).substr(2)}}})),
               "tx.accessList[0].address", "0x-prefixed");
  expect_error(with("accessList", nlohmann::json::array({{{"address", kTo}, {"storageKeys", {key}}}})),
               "tx.accessList[0].storageKeys[0]", "0x-prefixed");
  expect_error(
      with("accessList", nlohmann::json::array({{{"address", kTo}, {"storageKeys", {"0x" + key + "00"}}}})),
      "tx.accessList[0].storageKeys[0]", "");
  expect_error(
      with("accessList", nlohmann::json::array({{{"address", kTo}, {"slots", nlohmann::json::array()}}})),
      "tx.accessList[0].slots", "unknown field");
  const auto tx = transaction_from_json(with("data", "0x6080AB"));
  EXPECT_EQ(tx.data, (Bytes{0x60, 0x80, 0xab}));
  EXPECT_TRUE(transaction_from_json(with("data", "0x")).data.empty());
  EXPECT_EQ(
      transaction_from_json(
          with("accessList", nlohmann::json::array({{{"address", kTo}, {"storageKeys", {"0x" + key}}}})))
          .access_list.at(0)
          .storage_keys.size(),
      1u);
}

TEST(TransactionJsonStrict, TypeIsAnIntegerOrA0xQuantity) {
  expect_error(with("type", "2"), "tx.type", "as a JSON integer or a 0x quantity, got \"2\"");
  expect_error(with("type", "0"), "tx.type", "got \"0\"");
  expect_error(with("type", 2.0), "tx.type", "got 2.0");
  expect_error(with("type", true), "tx.type", "got true");
  expect_error(with("type", "0x1"), "tx.type", "must be 0 (legacy) or 2 (EIP-1559), got 1");
  expect_error(with("type", -2), "tx.type", "negative");
  EXPECT_EQ(transaction_from_json(with("type", "0x2")).type, 2);
  EXPECT_EQ(transaction_from_json(with("type", 2)).type, 2);
  auto no_type = base();
  no_type.erase("type");
  EXPECT_EQ(transaction_from_json(no_type).type, 2);
  auto legacy = nlohmann::json{{"type", "0x0"}, {"chainId", 1},  {"nonce", 0},
                               {"gas", 21000},  {"gasPrice", 1}, {"to", kTo}};
  EXPECT_EQ(transaction_from_json(legacy).type, 0);
  legacy["type"] = 0;
  EXPECT_EQ(transaction_from_json(legacy).type, 0);
}

TEST(TransactionJsonStrict, UnknownKeysAndNumbersThatDoNotFit) {
  expect_error(with("from", kTo), "tx.from", "unknown field");
  expect_error(with("chainId", "18446744073709551616"), "tx.chainId", "does not fit in 64 bits");
  expect_error(with("gas", "0x10000000000000000"), "tx.gas", "does not fit in 64 bits");
  expect_error(with("nonce", 1e20), "tx.nonce", "not an exact integer");
  expect_error(with("value", "0x1" + std::string(64, '0')), "tx.value", "");
  expect_error(with("maxFeePerGas", "1" + std::string(78, '0')), "tx.maxFeePerGas", "");
  EXPECT_EQ(transaction_from_json(with("value", "0x" + std::string(64, 'f'))).value, ~uint256(0));
}

TEST(TransactionJsonStrict, TextFormRefusesNulBytesDuplicateKeysAndDeepInput) {
  const std::string good = base().dump();
  EXPECT_EQ(transaction_from_json_text(good), transaction_from_json(base()));
  expect_text_error(good + std::string(1, '\0') + "{\"to\": \"\"}",
                    "tx: NUL byte at offset " + std::to_string(good.size()));
  expect_text_error(std::string(1, '\0') + good, "tx: NUL byte at offset 0");
  std::string nul_in_string = good;
  nul_in_string.insert(nul_in_string.find(kTo) + 2, 1, '\0');
  expect_text_error(nul_in_string, "NUL byte");
  expect_text_error(R"({"to": null, "to": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "chainId": 1})",
                    "tx: key \"to\" given twice");
  expect_text_error(std::string(100, '[') + std::string(100, ']'), "nesting deeper than 64 levels");
  expect_text_error("{", "tx: ");
  expect_text_error(good + " x", "tx: ");
}

}  // namespace
}  // namespace hepek::eth
