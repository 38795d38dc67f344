// The operator link's JSON messages (topics serenity/<device-id>/<topic>, see README.md "Bus protocol").
//
// Contract: proof_to_json()/proof_from_json() carry a balance proof with amounts and Wh as decimal strings
// and the signature as 0x-hex; proof_from_json() throws std::invalid_argument naming the missing or malformed
// field.
#pragma once

#include <nlohmann/json.hpp>

#include "ergon_chain.hpp"

namespace hepek::ergon {

nlohmann::json proof_to_json(const SignedProof& proof);
SignedProof proof_from_json(const nlohmann::json& json);

// A string field of a JSON object, or std::invalid_argument naming `where` and the field.
std::string string_field(const nlohmann::json& json, const char* field, const char* where);

}  // namespace hepek::ergon
