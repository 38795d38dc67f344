// Ethereum transactions: EIP-1559 (type 2, with access list) and legacy with EIP-155 replay protection (type
// 0).
//
// Contract:
// - signing_hash() is keccak256 of the payload the sender signs: for type 0 rlp([nonce, gasPrice, gas, to,
// value,
//   data, chainId, 0, 0]); for type 2 0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gas,
//   to, value, data, accessList]). A missing `to` is encoded as the empty string (contract creation).
// - sign_transaction() validates the fields (type 0 or 2, chain id and gas > 0, fee fields for the type,
//   priority fee <= max fee)
// and throws
//   std::invalid_argument naming the field; raw() is the network encoding eth_sendRawTransaction takes;
//   hash() is the transaction hash (keccak of raw()).
// - decode_raw_transaction() strictly decodes either type, checks the signature (low-s) and the fields as
//   validate() does (RlpError otherwise), so what it returns re-encodes to the same bytes; sender() recovers
// the
//   signer's address.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "hepek/eth/address.hpp"
#include "hepek/eth/hex.hpp"
#include "hepek/eth/keys.hpp"
#include "hepek/eth/uint256.hpp"

namespace hepek::eth {

struct AccessListEntry {
  Address address;
  std::vector<Bytes32> storage_keys;
  bool operator==(const AccessListEntry&) const = default;
};

struct Transaction {
  std::uint8_t type = 2;  // 0 = legacy (EIP-155), 2 = EIP-1559
  std::uint64_t chain_id = 1;
  std::uint64_t nonce = 0;
  std::uint64_t gas_limit = 21000;
  uint256 gas_price;                 // type 0 only
  uint256 max_fee_per_gas;           // type 2 only
  uint256 max_priority_fee_per_gas;  // type 2 only
  std::optional<Address> to;         // absent: contract creation
  uint256 value;
  Bytes data;
  std::vector<AccessListEntry> access_list;  // type 2 only

  bool operator==(const Transaction&) const = default;
};

// Throws std::invalid_argument naming the first inconsistent field.
void validate(const Transaction& tx);

Bytes signing_payload(const Transaction& tx);
Bytes32 signing_hash(const Transaction& tx);

struct SignedTransaction {
  Transaction tx;
  Signature signature;  // v is the recovery id (0/1); raw() turns it into EIP-155 v for legacy

  Bytes raw() const;
  Bytes32 hash() const;
  Address sender() const;
};

SignedTransaction sign_transaction(const Transaction& tx, const PrivateKey& key);
SignedTransaction decode_raw_transaction(ByteView raw);

// The address a contract created by `sender` with `nonce` gets: keccak(rlp([sender, nonce]))[12:].
Address contract_address(const Address& sender, std::uint64_t nonce);

}  // namespace hepek::eth
