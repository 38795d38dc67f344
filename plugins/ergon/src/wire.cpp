#include "wire.hpp"

namespace hepek::ergon {

std::string string_field(const nlohmann::json& json, const char* field, const char* where) {
  if (!json.is_object() || !json.contains(field) || !json[field].is_string())
    throw std::invalid_argument(std::string(where) + ": \"" + field + "\" missing or not a string");
  return json[field].get<std::string>();
}

nlohmann::json proof_to_json(const SignedProof& p) {
  return {{"channel_id", eth::to_hex(p.proof.channel_id)},
          {"cumulative_amount", eth::to_decimal(p.proof.cumulative_amount)},
          {"cumulative_import_wh", eth::to_decimal(p.proof.cumulative_import_wh)},
          {"cycle", p.proof.cycle},
          {"signature", eth::to_hex(p.signature)}};
}

SignedProof proof_from_json(const nlohmann::json& json) {
  SignedProof p;
  p.proof.channel_id = eth::bytes32_from_hex(string_field(json, "channel_id", "proof"), "proof.channel_id");
  p.proof.cumulative_amount =
      eth::parse_uint256(string_field(json, "cumulative_amount", "proof"), "proof.cumulative_amount");
  p.proof.cumulative_import_wh =
      eth::parse_uint256(string_field(json, "cumulative_import_wh", "proof"), "proof.cumulative_import_wh");
  if (!json.contains("cycle") || !json["cycle"].is_number_unsigned())
    throw std::invalid_argument("proof: \"cycle\" missing or not a non-negative integer");
  p.proof.cycle = json["cycle"].get<std::uint64_t>();
  p.signature = eth::from_hex(string_field(json, "signature", "proof"), "proof.signature");
  return p;
}

}  // namespace hepek::ergon
