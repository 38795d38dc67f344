// Prices signed and broadcast by the operator ("Serenity") on serenity/broadcast/prices.
//
// Message (JSON):
//   {"issued": "2023-08-01T13:00:00+02:00",          // when the operator issued it (ISO 8601 with offset)
//    "resolution_s": 3600,                            // 900 for quarter hours
//    "prices": [["2023-08-02T00:00:00+02:00", "95.12"], ...],   // [interval start, spot EUR/MWh]
//    "signature": "0x<65 bytes r||s||v>"}
// Prices may be decimal strings (exact, preferred) or JSON numbers; at most 6 decimals count.
//
// Signature: EIP-191 personal_sign (what wallets and `cast wallet sign` do) by the operator key over the
// canonical text, so a wallet can show the operator what it signs and the signature is bound to its purpose:
//   HEPEK operator prices v1\n
//   issued: <issued, re-formatted as YYYY-MM-DDThh:mm:ss±hh:mm>\n
//   resolution_s: <integer>\n
//   <start> <canonical decimal price>\n        one line per entry, in message order
// Canonical decimal: no exponent, no trailing zeros, "-0" never ("95.12", "-3.5", "100").
//
// Contract: from_json() throws std::invalid_argument naming the bad field; verify() returns an empty string
// when the message is signed by `expected_operator` (high-s and malformed signatures are refused), else why
// not. normalised_points() sorts the entries, drops identical duplicates, refuses conflicting ones and
// entries off the resolution grid (std::invalid_argument). Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "decimal_price.hpp"
#include "hepek/eth/address.hpp"
#include "hepek/eth/hex.hpp"
#include "hepek/eth/keys.hpp"
#include "price_grid.hpp"

namespace hepek::tariff {

inline constexpr const char* kOperatorPricesSignal = "prices";       // serenity/broadcast/prices
inline constexpr std::size_t kMaxOperatorPriceEntries = 4 * 24 * 7;  // a week of quarter hours

struct OperatorPriceMessage {
  struct Entry {
    std::int64_t start_s = 0;
    int offset_minutes = 0;
    MicroEurPerMwh price = 0;
  };
  std::int64_t issued_s = 0;
  int issued_offset_minutes = 0;
  std::int64_t resolution_s = 3600;
  std::vector<Entry> prices;
  eth::Bytes signature;  // 65 bytes

  std::string canonical_text() const;
  eth::Bytes32 digest() const;  // EIP-191 personal-message digest of canonical_text()
  void sign(const eth::PrivateKey& operator_key);
  std::string verify(const eth::Address& expected_operator) const;
  std::vector<SpotPoint> normalised_points() const;
  nlohmann::json to_json() const;
  static OperatorPriceMessage from_json(const nlohmann::json& json);
};

}  // namespace hepek::tariff
