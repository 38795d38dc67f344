#include "payment_sandbox.hpp"

#include <algorithm>
#include <cctype>

namespace hepek::ergon {
namespace {

std::string without_spaces(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c != ' ' && c != '-') out.push_back(c);
  return out;
}

std::string masked(const std::string& kind, const std::string& number) {
  return kind + " ****" + (number.size() >= 4 ? number.substr(number.size() - 4) : number);
}

}  // namespace

bool luhn_valid(std::string_view text) {
  const std::string digits = without_spaces(text);
  if (digits.size() < 12 || digits.size() > 19) return false;
  int sum = 0;
  bool doubled = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (!std::isdigit(static_cast<unsigned char>(*it))) return false;
    int d = *it - '0';
    if (doubled) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    doubled = !doubled;
  }
  return sum % 10 == 0;
}

bool iban_valid(std::string_view text) {
  std::string iban = without_spaces(text);
  std::transform(iban.begin(), iban.end(), iban.begin(), [](unsigned char c) { return std::toupper(c); });
  if (iban.size() < 15 || iban.size() > 34) return false;
  if (!std::isalpha(static_cast<unsigned char>(iban[0])) ||
      !std::isalpha(static_cast<unsigned char>(iban[1])) ||
      !std::isdigit(static_cast<unsigned char>(iban[2])) ||
      !std::isdigit(static_cast<unsigned char>(iban[3])))
    return false;
  const std::string rearranged = iban.substr(4) + iban.substr(0, 4);
  int remainder = 0;
  for (char c : rearranged) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      const int value = c - 'A' + 10;
      remainder = (remainder * 100 + value) % 97;
    } else {
      return false;
    }
  }
  return remainder == 1;
}

PaymentDecision charge(const PaymentMethod& method) {
  PaymentDecision decision;
  const std::string number = without_spaces(method.number);
  if (method.kind == PaymentMethod::Kind::card) {
    decision.reference = masked("card", number);
    if (!luhn_valid(number)) {
      decision.reason = "invalid card number (12-19 digits with a valid Luhn check digit expected)";
      return decision;
    }
    for (const auto& [card, reason] : kDeclinedCards)
      if (card == number) {
        decision.reason = "declined: " + reason;
        return decision;
      }
  } else {
    std::string upper = number;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    decision.reference = masked("iban", upper);
    if (!iban_valid(upper)) {
      decision.reason = "invalid IBAN (country code, check digits and mod-97 check)";
      return decision;
    }
    if (std::find(kDeclinedIbans.begin(), kDeclinedIbans.end(), upper) != kDeclinedIbans.end()) {
      decision.reason = "declined: account closed";
      return decision;
    }
  }
  decision.approved = true;
  return decision;
}

}  // namespace hepek::ergon
