#include "signed_tariff.hpp"

#include <cstdint>
#include <stdexcept>

#include <fmt/format.h>

#include "hepek/eth/personal_message.hpp"

namespace hepek::ergon {

std::string SignedTariff::message_text() const {
  return fmt::format(
      "ERGON tariff v1\nchain: {}\nchannel: {}\ndevice: {}\nbase_units_per_kwh: {}\nvalid_from_ms: {}",
      chain_id, channel.checksummed(), device, eth::to_decimal(base_units_per_kwh), valid_from_ms);
}

eth::Bytes32 SignedTariff::digest() const {
  return eth::personal_message_digest(message_text());
}

void SignedTariff::sign(const eth::PrivateKey& operator_key) {
  operator_address = operator_key.address();
  signature = eth::sign_personal_message(operator_key, message_text());
}

std::string SignedTariff::verify(const eth::Address& expected_operator) const {
  try {
    const eth::Address signer = eth::recover_personal_message_signer(message_text(), signature);
    if (signer != expected_operator)
      return fmt::format("tariff signed by {}, not by the operator {}", signer.checksummed(),
                         expected_operator.checksummed());
    if (operator_address != expected_operator) return "tariff names another operator";
    return {};
  } catch (const std::exception& error) {
    return std::string("tariff signature invalid: ") + error.what();
  }
}

nlohmann::json SignedTariff::to_json() const {
  return {{"chain_id", chain_id},
          {"channel", channel.checksummed()},
          {"device", device},
          {"base_units_per_kwh", eth::to_decimal(base_units_per_kwh)},
          {"valid_from_ms", valid_from_ms},
          {"operator", operator_address.checksummed()},
          {"scheme", "EIP-191"},
          {"signature", eth::to_hex(signature)}};
}

SignedTariff SignedTariff::from_json(const nlohmann::json& json) {
  auto field = [&](const char* name) -> const nlohmann::json& {
    if (!json.is_object() || !json.contains(name))
      throw std::invalid_argument(std::string("tariff: missing \"") + name + "\"");
    return json.at(name);
  };
  // Each field checked for its JSON type: get<>() would throw nlohmann's type_error, which names no field.
  auto text = [&](const char* name) -> std::string {
    const auto& value = field(name);
    if (!value.is_string())
      throw std::invalid_argument(std::string("tariff: \"") + name + "\" must be a string");
    return value.get<std::string>();
  };
  SignedTariff tariff;
  if (!field("chain_id").is_number_unsigned())
    throw std::invalid_argument("tariff: \"chain_id\" must be an integer");
  tariff.chain_id = field("chain_id").get<std::uint64_t>();
  tariff.channel = eth::Address::parse(text("channel"), "tariff.channel");
  tariff.device = text("device");
  tariff.base_units_per_kwh = eth::parse_uint256(text("base_units_per_kwh"), "tariff.base_units_per_kwh");
  if (!field("valid_from_ms").is_number_integer() ||
      (field("valid_from_ms").is_number_unsigned() &&
       field("valid_from_ms").get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)))
    throw std::invalid_argument("tariff: \"valid_from_ms\" must be an integer (Unix milliseconds)");
  tariff.valid_from_ms = field("valid_from_ms").get<std::int64_t>();
  tariff.operator_address = eth::Address::parse(text("operator"), "tariff.operator");
  tariff.signature = eth::from_hex(text("signature"), "tariff.signature");
  return tariff;
}

}  // namespace hepek::ergon
