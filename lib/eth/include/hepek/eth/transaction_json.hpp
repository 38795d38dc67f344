// Reads a transaction from JSON, as `hepek eth sign-tx --tx JSON` takes it.
//
// Contract: keys are type (0 or 2, default 2), chainId, nonce, gas (alias gasLimit), gasPrice (type 0) or
// maxFeePerGas + maxPriorityFeePerGas (type 2), to (absent or null: contract creation), value, data,
// accessList
// ([{address, storageKeys}], type 2 only). Numbers may be JSON non-negative integers, decimal strings or 0x
// strings. Unknown keys, missing required keys, fields that do not belong to the type and malformed values
// throw std::invalid_argument naming the field ("tx.maxFeePerGas: ...").
#pragma once

#include <nlohmann/json.hpp>

#include "hepek/eth/transaction.hpp"

namespace hepek::eth {

Transaction transaction_from_json(const nlohmann::json& json);
nlohmann::json transaction_to_json(
    const Transaction& tx);  // numbers as 0x quantities, as JSON-RPC writes them

// A JSON number or decimal / 0x string as uint256; `field` names it in errors.
uint256 json_to_uint256(const nlohmann::json& value, std::string_view field);

}  // namespace hepek::eth
