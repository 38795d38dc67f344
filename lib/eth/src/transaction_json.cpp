#include "hepek/eth/transaction_json.hpp"

#include <limits>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

namespace hepek::eth {

namespace {

std::uint64_t json_to_u64(const nlohmann::json& value, std::string_view field) {
  const uint256 number = json_to_uint256(value, field);
  if (number > std::numeric_limits<std::uint64_t>::max())
    throw std::invalid_argument(fmt::format("{}: {} does not fit in 64 bits", field, to_decimal(number)));
  return static_cast<std::uint64_t>(number);
}

const nlohmann::json& required(const nlohmann::json& json, const char* key, std::string_view why = "") {
  if (!json.contains(key))
    throw std::invalid_argument(
        fmt::format("tx.{}: missing{}", key, why.empty() ? "" : fmt::format(" ({})", why)));
  return json.at(key);
}

std::string require_string(const nlohmann::json& value, std::string_view field) {
  if (!value.is_string())
    throw std::invalid_argument(fmt::format("{}: expected a string, got {}", field, value.dump()));
  return value.get<std::string>();
}

}  // namespace

uint256 json_to_uint256(const nlohmann::json& value, std::string_view field) {
  if (value.is_number_unsigned()) return uint256(value.get<std::uint64_t>());
  if (value.is_number_integer()) {
    const auto number = value.get<std::int64_t>();
    if (number < 0) throw std::invalid_argument(fmt::format("{}: {} is negative", field, number));
    return uint256(static_cast<std::uint64_t>(number));
  }
  if (value.is_number_float())
    throw std::invalid_argument(
        fmt::format("{}: {} is not an integer (large numbers must be decimal or 0x strings to stay exact)",
                    field, value.dump()));
  if (value.is_string()) return parse_uint256(value.get<std::string>(), field);
  throw std::invalid_argument(
      fmt::format("{}: expected a number or a decimal/0x string, got {}", field, value.dump()));
}

Transaction transaction_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("tx: expected a JSON object");
  static const std::set<std::string> known = {
      "type", "chainId", "nonce", "gas",   "gasLimit",  "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas",
      "to",   "value",   "data",  "input", "accessList"};
  for (const auto& [key, value] : json.items())
    if (!known.contains(key)) throw std::invalid_argument(fmt::format("tx.{}: unknown field", key));

  Transaction tx;
  const uint256 type = json.contains("type") ? json_to_uint256(json["type"], "tx.type") : uint256(2);
  if (type != 0 && type != 2)
    throw std::invalid_argument(
        fmt::format("tx.type: must be 0 (legacy) or 2 (EIP-1559), got {}", to_decimal(type)));
  tx.type = static_cast<std::uint8_t>(type);
  tx.chain_id = json_to_u64(required(json, "chainId"), "tx.chainId");
  tx.nonce = json_to_u64(required(json, "nonce"), "tx.nonce");
  if (json.contains("gas") && json.contains("gasLimit"))
    throw std::invalid_argument("tx.gasLimit: give either gas or gasLimit, not both");
  const char* gas_key = json.contains("gasLimit") ? "gasLimit" : "gas";
  tx.gas_limit = json_to_u64(required(json, gas_key), fmt::format("tx.{}", gas_key));

  if (tx.type == 0) {
    for (const char* key : {"maxFeePerGas", "maxPriorityFeePerGas", "accessList"})
      if (json.contains(key))
        throw std::invalid_argument(fmt::format("tx.{}: not allowed in a type 0 transaction", key));
    tx.gas_price = json_to_uint256(required(json, "gasPrice", "type 0 needs gasPrice"), "tx.gasPrice");
  } else {
    if (json.contains("gasPrice"))
      throw std::invalid_argument("tx.gasPrice: not allowed in a type 2 transaction (use maxFeePerGas)");
    tx.max_fee_per_gas =
        json_to_uint256(required(json, "maxFeePerGas", "type 2 needs it"), "tx.maxFeePerGas");
    tx.max_priority_fee_per_gas =
        json_to_uint256(required(json, "maxPriorityFeePerGas", "type 2 needs it"), "tx.maxPriorityFeePerGas");
  }

  if (json.contains("to") && !json["to"].is_null()) {
    const std::string to = require_string(json["to"], "tx.to");
    if (!to.empty()) tx.to = Address::parse(to, "tx.to");
  }
  tx.value = json.contains("value") ? json_to_uint256(json["value"], "tx.value") : uint256(0);
  if (json.contains("data") && json.contains("input"))
    throw std::invalid_argument("tx.input: give either data or input, not both");
  const char* data_key = json.contains("input") ? "input" : "data";
  if (json.contains(data_key) && !json[data_key].is_null())
    tx.data = from_hex(require_string(json[data_key], fmt::format("tx.{}", data_key)),
                       fmt::format("tx.{}", data_key));

  if (json.contains("accessList")) {
    const auto& list = json["accessList"];
    if (!list.is_array()) throw std::invalid_argument("tx.accessList: expected an array");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string where = fmt::format("tx.accessList[{}]", i);
      const auto& entry = list[i];
      if (!entry.is_object() || !entry.contains("address"))
        throw std::invalid_argument(fmt::format("{}: expected {{\"address\", \"storageKeys\"}}", where));
      AccessListEntry parsed;
      parsed.address =
          Address::parse(require_string(entry["address"], where + ".address"), where + ".address");
      if (entry.contains("storageKeys")) {
        const auto& keys = entry["storageKeys"];
        if (!keys.is_array())
          throw std::invalid_argument(fmt::format("{}.storageKeys: expected an array", where));
        for (std::size_t k = 0; k < keys.size(); ++k) {
          const std::string key_where = fmt::format("{}.storageKeys[{}]", where, k);
          parsed.storage_keys.push_back(bytes32_from_hex(require_string(keys[k], key_where), key_where));
        }
      }
      tx.access_list.push_back(std::move(parsed));
    }
  }
  validate(tx);
  return tx;
}

nlohmann::json transaction_to_json(const Transaction& tx) {
  nlohmann::json json = {{"type", to_quantity_hex(tx.type)},   {"chainId", to_quantity_hex(tx.chain_id)},
                         {"nonce", to_quantity_hex(tx.nonce)}, {"gas", to_quantity_hex(tx.gas_limit)},
                         {"value", to_quantity_hex(tx.value)}, {"data", to_hex(tx.data)}};
  json["to"] = tx.to ? nlohmann::json(tx.to->checksummed()) : nlohmann::json(nullptr);
  if (tx.type == 0) {
    json["gasPrice"] = to_quantity_hex(tx.gas_price);
  } else {
    json["maxFeePerGas"] = to_quantity_hex(tx.max_fee_per_gas);
    json["maxPriorityFeePerGas"] = to_quantity_hex(tx.max_priority_fee_per_gas);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& entry : tx.access_list) {
      nlohmann::json keys = nlohmann::json::array();
      for (const auto& key : entry.storage_keys) keys.push_back(to_hex(key));
      list.push_back({{"address", entry.address.checksummed()}, {"storageKeys", keys}});
    }
    json["accessList"] = list;
  }
  return json;
}

}  // namespace hepek::eth
