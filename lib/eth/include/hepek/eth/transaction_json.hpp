// Reads a transaction from JSON, as `hepek eth sign-tx --tx JSON` takes it. Strict: what is not exactly as
// documented here is an error, so a typo can never sign something other than what was meant.
//
// Contract: keys are type, chainId, nonce, gas (alias gasLimit), gasPrice (type 0) or maxFeePerGas +
// maxPriorityFeePerGas (type 2), to, value, data (alias input), accessList ([{address, storageKeys}], type 2
// only).
// - type: 0 (legacy, EIP-155) or 2 (EIP-1559), default 2; a JSON integer or a 0x quantity ("0x2"), never a
//   decimal string ("2").
// - to: required. An address ("0x" + 40 hex digits, EIP-55 checksum checked when mixed case), or JSON null for a
//   contract creation — the ethers.js convention (`to: null` marks a deployment). "" and a missing `to` are
//   errors.
// - chainId, nonce, gas, value and the fees: JSON non-negative integers, decimal strings or 0x strings; chainId,
//   nonce and gas must fit in 64 bits, the rest in 256 bits; gas must be > 0.
// - data, accessList addresses and storage keys: "0x"-prefixed hex strings (data an even number of digits).
// Unknown keys, duplicate keys (text form), missing required keys, fields that do not belong to the type and
// malformed values throw std::invalid_argument naming the field ("tx.maxFeePerGas: ..."), quoting at most a short
// prefix of the bad value. Pure functions, thread-safe.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "hepek/eth/transaction.hpp"

namespace hepek::eth {

Transaction transaction_from_json(const nlohmann::json& json);
// The text form: additionally refuses a NUL byte anywhere, input over the JSON limits of the topic contract
// (hepek/json_limits.hpp: depth, size) and a key given twice in one object; then transaction_from_json().
Transaction transaction_from_json_text(std::string_view text);
nlohmann::json transaction_to_json(
    const Transaction& tx);  // numbers as 0x quantities, as JSON-RPC writes them

// A JSON number or decimal / 0x string as uint256; `field` names it in errors.
uint256 json_to_uint256(const nlohmann::json& value, std::string_view field);

}  // namespace hepek::eth
