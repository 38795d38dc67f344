// The operator's tariff, signed with the operator key so a member can prove what price it was offered.
//
// Signature scheme: EIP-191 personal message ("\x19Ethereum Signed Message:\n" + length + text) over the
// canonical text returned by message_text():
//     ERGON tariff v1
//     chain: <chain id>
//     channel: <PaymentChannel address, EIP-55>
//     device: <device id or *>
//     base_units_per_kwh: <decimal>
//     valid_from_ms: <unix ms>
// so the signature is bound to its purpose, chain and contract (µRaiden lesson). Wallets show the text as is.
// JSON form on serenity/broadcast/tariff: {"chain_id","channel","device","base_units_per_kwh" (decimal
// string), "valid_from_ms","operator","signature"}.
//
// Contract: sign() needs the operator key; verify() recovers the signer and returns an error text (empty =
// valid, signed by `expected_operator`). from_json() throws std::invalid_argument naming the bad field.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "hepek/eth/address.hpp"
#include "hepek/eth/keys.hpp"
#include "hepek/eth/uint256.hpp"

namespace hepek::ergon {

struct SignedTariff {
  std::uint64_t chain_id = 0;
  eth::Address channel;
  std::string device = "*";
  eth::uint256 base_units_per_kwh;
  std::int64_t valid_from_ms = 0;
  eth::Address operator_address;
  eth::Bytes signature;  // 65 bytes r||s||v (v 27/28)

  std::string message_text() const;
  eth::Bytes32 digest() const;  // EIP-191 digest of message_text()
  void sign(const eth::PrivateKey& operator_key);
  std::string verify(const eth::Address& expected_operator) const;
  nlohmann::json to_json() const;
  static SignedTariff from_json(const nlohmann::json& json);
};

}  // namespace hepek::ergon
