#include <gtest/gtest.h>

#include "payment_sandbox.hpp"

namespace hepek::ergon {
namespace {

TEST(PaymentSandbox, LuhnAcceptsTestCardsAndRejectsTypos) {
  EXPECT_TRUE(luhn_valid("4242424242424242"));
  EXPECT_TRUE(luhn_valid("4242 4242 4242 4242"));
  EXPECT_TRUE(luhn_valid("5555555555554444"));
  EXPECT_FALSE(luhn_valid("4242424242424241"));
  EXPECT_FALSE(luhn_valid("42424242"));
  EXPECT_FALSE(luhn_valid("4242x24242424242"));
  EXPECT_FALSE(luhn_valid(""));
}

TEST(PaymentSandbox, IbanMod97) {
  EXPECT_TRUE(iban_valid("GB82 WEST 1234 5698 7654 32"));
  EXPECT_TRUE(iban_valid("NL91ABNA0417164300"));
  EXPECT_TRUE(iban_valid("de89370400440532013000"));
  EXPECT_FALSE(iban_valid("NL92ABNA0417164300"));
  EXPECT_FALSE(iban_valid("NL91"));
  EXPECT_FALSE(iban_valid("1291ABNA0417164300"));
}

TEST(PaymentSandbox, DecisionsNameTheReason) {
  EXPECT_TRUE(charge({PaymentMethod::Kind::card, "4242424242424242"}).approved);
  const auto declined = charge({PaymentMethod::Kind::card, "4000000000000002"});
  EXPECT_FALSE(declined.approved);
  EXPECT_EQ(declined.reason, "declined: card declined");
  EXPECT_EQ(charge({PaymentMethod::Kind::card, "4000000000009995"}).reason, "declined: insufficient funds");
  const auto typo = charge({PaymentMethod::Kind::card, "4242424242424241"});
  EXPECT_FALSE(typo.approved);
  EXPECT_NE(typo.reason.find("invalid card number"), std::string::npos);
  EXPECT_EQ(typo.reference, "card ****4241");
  for (const auto& [card, reason] : kDeclinedCards) EXPECT_TRUE(luhn_valid(card)) << card;
  EXPECT_TRUE(charge({PaymentMethod::Kind::direct_debit, "NL91ABNA0417164300"}).approved);
  EXPECT_EQ(charge({PaymentMethod::Kind::direct_debit, "DE62370400440532013001"}).reason,
            "declined: account closed");
  EXPECT_NE(charge({PaymentMethod::Kind::direct_debit, "NL92ABNA0417164300"}).reason.find("invalid IBAN"),
            std::string::npos);
}

}  // namespace
}  // namespace hepek::ergon
