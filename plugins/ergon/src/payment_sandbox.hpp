// The operator's sandbox payment provider: test cards and SEPA direct debit, no real money.
//
// Contract:
// - A card number is 12–19 digits (spaces allowed) with a valid Luhn check digit; anything else is refused as
//   "invalid card number". The documented declined test cards (kDeclinedCards, Stripe's well-known numbers)
//   are valid but declined with their reason; every other valid number is approved (e.g. 4242 4242 4242
//   4242).
// - An IBAN is 15–34 characters (spaces allowed): two letters, two check digits, alphanumerics; the ISO 13616
//   mod-97 check must give 1. Valid IBANs are approved unless listed in kDeclinedIbans.
// - charge() never moves money; it only decides. Recording the payment durably is the caller's job (before
// minting).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hepek::ergon {

bool luhn_valid(std::string_view digits);
bool iban_valid(std::string_view iban);

// Test cards that are valid numbers but declined, with the reason the provider gives.
inline const std::vector<std::pair<std::string, std::string>> kDeclinedCards = {
    {"4000000000000002", "card declined"},
    {"4000000000009995", "insufficient funds"},
    {"4000000000000069", "expired card"},
    {"4000000000000127", "incorrect CVC"},
};
inline const std::vector<std::string> kDeclinedIbans = {"DE62370400440532013001"};  // "account closed"

struct PaymentMethod {
  enum class Kind { card, direct_debit } kind = Kind::card;
  std::string number;  // card number or IBAN, as entered
};

struct PaymentDecision {
  bool approved = false;
  std::string reason;     // why it was refused or declined; empty when approved
  std::string reference;  // masked method, e.g. "card ****4242" or "iban ****3000"
};

PaymentDecision charge(const PaymentMethod& method);

}  // namespace hepek::ergon
