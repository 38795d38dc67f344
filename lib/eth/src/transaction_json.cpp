// Strict transaction JSON: see the contract in transaction_json.hpp.
#include "hepek/eth/transaction_json.hpp"

#include <limits>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "hepek/json_limits.hpp"
#include "hepek/quote.hpp"

namespace hepek::eth {

namespace {

// A bad value as quoted in an error: its serialisation, at most a short prefix of it.
std::string shown(const nlohmann::json& value) {
  return hepek::quote_json(value, 64);
}

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

// A string that must start with a lower-case "0x"; the digits are checked by the caller's parser.
std::string require_0x_string(const nlohmann::json& value, std::string_view field, std::string_view what) {
  if (!value.is_string() || value.get_ref<const std::string&>().rfind("0x", 0) != 0)
    throw std::invalid_argument(
        fmt::format("{}: expected {} as a 0x-prefixed hex string, got {}", field, what, shown(value)));
  return value.get<std::string>();
}

// type: a JSON integer or a 0x quantity; a decimal string ("2") is refused so that the type is never guessed.
std::uint8_t parse_type(const nlohmann::json& json) {
  if (!json.contains("type")) return 2;
  const auto& value = json["type"];
  const bool hex_string = value.is_string() && value.get_ref<const std::string&>().rfind("0x", 0) == 0;
  if (!value.is_number_integer() && !hex_string)
    throw std::invalid_argument(
        fmt::format("tx.type: expected 0 (legacy) or 2 (EIP-1559) as a JSON integer or a 0x quantity, got {}",
                    shown(value)));
  const uint256 type = json_to_uint256(value, "tx.type");
  if (type != 0 && type != 2)
    throw std::invalid_argument(
        fmt::format("tx.type: must be 0 (legacy) or 2 (EIP-1559), got {}", to_decimal(type)));
  return static_cast<std::uint8_t>(type);
}

// to: an address, or null for a contract creation (the ethers.js convention); never "" and never left out.
std::optional<Address> parse_to(const nlohmann::json& json) {
  const auto& value = required(json, "to", "an address, or null for a contract creation");
  if (value.is_null()) return std::nullopt;
  if (value.is_string() && value.get_ref<const std::string&>().empty())
    throw std::invalid_argument("tx.to: empty string; give an address, or null for a contract creation");
  return Address::parse(require_0x_string(value, "tx.to", "an address"), "tx.to");
}

AccessListEntry parse_access_list_entry(const nlohmann::json& entry, const std::string& where) {
  if (!entry.is_object() || !entry.contains("address"))
    throw std::invalid_argument(fmt::format("{}: expected {{\"address\", \"storageKeys\"}}", where));
  for (const auto& [key, value] : entry.items())
    if (key != "address" && key != "storageKeys")
      throw std::invalid_argument(fmt::format("{}.{}: unknown field", where, hepek::quote_prefix(key, 64)));
  AccessListEntry parsed;
  parsed.address = Address::parse(require_0x_string(entry["address"], where + ".address", "an address"),
                                  where + ".address");
  if (entry.contains("storageKeys")) {
    const auto& keys = entry["storageKeys"];
    if (!keys.is_array())
      throw std::invalid_argument(fmt::format("{}.storageKeys: expected an array", where));
    for (std::size_t k = 0; k < keys.size(); ++k) {
      const std::string key_where = fmt::format("{}.storageKeys[{}]", where, k);
      parsed.storage_keys.push_back(
          bytes32_from_hex(require_0x_string(keys[k], key_where, "32 bytes"), key_where));
    }
  }
  return parsed;
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
    throw std::invalid_argument(fmt::format(
        "{}: {} is not an exact integer (large numbers must be decimal or 0x strings to stay exact)", field,
        shown(value)));
  if (value.is_string()) return parse_uint256(value.get<std::string>(), field);
  throw std::invalid_argument(
      fmt::format("{}: expected a number or a decimal/0x string, got {}", field, shown(value)));
}

Transaction transaction_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("tx: expected a JSON object");
  static const std::set<std::string> known = {
      "type", "chainId", "nonce", "gas",   "gasLimit",  "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas",
      "to",   "value",   "data",  "input", "accessList"};
  for (const auto& [key, value] : json.items())
    if (!known.contains(key))
      throw std::invalid_argument(fmt::format("tx.{}: unknown field", hepek::quote_prefix(key, 64)));

  Transaction tx;
  tx.type = parse_type(json);
  tx.chain_id = json_to_u64(required(json, "chainId"), "tx.chainId");
  tx.nonce = json_to_u64(required(json, "nonce"), "tx.nonce");
  if (json.contains("gas") && json.contains("gasLimit"))
    throw std::invalid_argument("tx.gasLimit: give either gas or gasLimit, not both");
  const char* gas_key = json.contains("gasLimit") ? "gasLimit" : "gas";
  tx.gas_limit = json_to_u64(required(json, gas_key), fmt::format("tx.{}", gas_key));
  if (tx.gas_limit == 0) throw std::invalid_argument(fmt::format("tx.{}: must be greater than 0", gas_key));

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

  tx.to = parse_to(json);
  tx.value = json.contains("value") ? json_to_uint256(json["value"], "tx.value") : uint256(0);
  if (json.contains("data") && json.contains("input"))
    throw std::invalid_argument("tx.input: give either data or input, not both");
  const char* data_key = json.contains("input") ? "input" : "data";
  if (json.contains(data_key)) {
    const std::string field = fmt::format("tx.{}", data_key);
    tx.data = from_hex(require_0x_string(json[data_key], field, "bytes"), field);
  }

  if (json.contains("accessList")) {
    const auto& list = json["accessList"];
    if (!list.is_array()) throw std::invalid_argument("tx.accessList: expected an array");
    for (std::size_t i = 0; i < list.size(); ++i)
      tx.access_list.push_back(parse_access_list_entry(list[i], fmt::format("tx.accessList[{}]", i)));
  }
  validate(tx);
  return tx;
}

Transaction transaction_from_json_text(std::string_view text) {
  // Limited first (hepek/json_limits.hpp): a deeply nested text must be an error, not a stack overflow in a
  // recursive walk; NUL bytes (nlohmann stops reading at one) and a key given twice (nlohmann would keep the last
  // "to") are refused there too.
  const auto json = hepek::json_limits::parse_limited(text);
  if (!json) throw std::invalid_argument("tx: " + json.error());
  return transaction_from_json(*json);
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
