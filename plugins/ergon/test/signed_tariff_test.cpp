#include <gtest/gtest.h>

#include "hepek/eth/keccak.hpp"
#include "hepek/eth/personal_message.hpp"
#include "signed_tariff.hpp"

namespace hepek::ergon {
namespace {

const auto kOperator =
    eth::PrivateKey::from_hex("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");

SignedTariff make_tariff() {
  SignedTariff tariff;
  tariff.chain_id = 31337;
  tariff.channel = eth::Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
  tariff.base_units_per_kwh = eth::parse_units("0.3", 18);
  tariff.valid_from_ms = 1704063600000;
  tariff.sign(kOperator);
  return tariff;
}

TEST(SignedTariff, PersonalMessageDigestMatchesEip191) {
  // keccak256("\x19Ethereum Signed Message:\n5hello"), as eth_sign / cast hash-message give it.
  EXPECT_EQ(eth::to_hex(eth::personal_message_digest("hello")),
            "0x50b2c43fd39106bafbba0da34fc430e1f91e3c96ea2acee2bc34119f92b37750");
}

TEST(SignedTariff, SignedRoundTripsAndVerifies) {
  const SignedTariff tariff = make_tariff();
  const SignedTariff back = SignedTariff::from_json(nlohmann::json::parse(tariff.to_json().dump()));
  EXPECT_EQ(back.verify(kOperator.address()), "");
  EXPECT_EQ(back.base_units_per_kwh, eth::parse_units("0.3", 18));
}

TEST(SignedTariff, TamperingOrAnotherSignerIsDetected) {
  SignedTariff tariff = make_tariff();
  tariff.base_units_per_kwh -= 1;
  EXPECT_NE(tariff.verify(kOperator.address()).find("not by the operator"), std::string::npos);
  const auto other =
      eth::PrivateKey::from_hex("5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
  SignedTariff forged = make_tariff();
  forged.sign(other);
  EXPECT_NE(forged.verify(kOperator.address()), "");
  nlohmann::json broken = make_tariff().to_json();
  broken.erase("channel");
  EXPECT_THROW(SignedTariff::from_json(broken), std::invalid_argument);
}

// Found by fuzz_ergon_wire: a field of the wrong JSON type (e.g. "device": 7) made from_json() throw nlohmann's
// type_error, which names no field and which callers catching std::invalid_argument (the contract) let through.
TEST(SignedTariff, FieldsOfTheWrongTypeAreNamed) {
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, nlohmann::json>>{{"channel", 5},
                                                           {"device", 7},
                                                           {"base_units_per_kwh", 1.5},
                                                           {"valid_from_ms", "soon"},
                                                           {"valid_from_ms", 18446744073709551615ull},
                                                           {"operator", nullptr},
                                                           {"signature", true}}) {
    nlohmann::json json = make_tariff().to_json();
    json[key] = value;
    try {
      SignedTariff::from_json(json);
      ADD_FAILURE() << "accepted " << key << " = " << value.dump();
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find("tariff: \"" + key + "\" must be"), std::string::npos)
          << error.what();
    }
  }
}

}  // namespace
}  // namespace hepek::ergon
