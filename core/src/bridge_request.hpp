// A request on hepek/bridge/request/<name>, read from the bus: which answer it asks for, or the error it gets.
//
// Contract: parse_bridge_request() reads any bytes. A request is empty or a JSON object within the topic
// contract's limits (hepek/json_limits.hpp, applied before the parser) whose only member is an optional
// "transaction" (a non-empty string of at most 256 bytes or an integer), echoed in the response so a client can
// match it. A known name (plugins, health, info) with such a payload asks for that answer; anything else gets an
// error naming the request. bridge_response() builds the response document, which always dumps (every text in it
// is valid UTF-8) and quotes at most a short prefix of bad input. Pure functions, thread-safe; never throw on bad
// input.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hepek::core {

struct BridgeRequest {
  enum class Kind { plugins, health, info, malformed, unknown };
  Kind kind = Kind::malformed;
  std::string error;                          // malformed, unknown: the reply's "error"
  std::optional<nlohmann::json> transaction;  // echoed as the response's "transaction"
};

BridgeRequest parse_bridge_request(std::string_view name, std::string_view payload);

// `answer` is the answer to a known request (e.g. {"plugins": [...]}, the health document); it gets "ok": true.
// A malformed or unknown request gets {"ok": false, "error": ...} instead.
nlohmann::json bridge_response(const BridgeRequest& request, nlohmann::json answer);

}  // namespace hepek::core
