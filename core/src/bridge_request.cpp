#include "bridge_request.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "hepek/json_limits.hpp"
#include "hepek/quote.hpp"
#include "hepek/result.hpp"
#include "hepek/topics.hpp"

namespace hepek::core {

namespace {

constexpr std::size_t kMaxTransactionBytes = 256;

// A request's "transaction" as the response echoes it, or the error that makes the request malformed: a string of
// at most kMaxTransactionBytes bytes or an integer (zigbee2mqtt's convention), so that the echo stays short.
Result<nlohmann::json> transaction_of(const nlohmann::json& request) {
  using R = Result<nlohmann::json>;
  const auto it = request.find("transaction");
  if (it == request.end()) return R::success(nullptr);
  if ((it->is_string() && it->get_ref<const std::string&>().size() <= kMaxTransactionBytes &&
       !it->get_ref<const std::string&>().empty()) ||
      it->is_number_integer())
    return R::success(*it);
  return R::failure(
      fmt::format("\"transaction\" must be a non-empty string of at most {} bytes or an integer, got {}",
                  kMaxTransactionBytes, quote_json(*it, 64)));
}

BridgeRequest::Kind kind_of(std::string_view name) {
  if (name == "plugins") return BridgeRequest::Kind::plugins;
  if (name == "health") return BridgeRequest::Kind::health;
  if (name == "info") return BridgeRequest::Kind::info;
  return BridgeRequest::Kind::unknown;
}

}  // namespace

BridgeRequest parse_bridge_request(std::string_view name, std::string_view payload) {
  BridgeRequest request;
  // An empty payload is a request without parameters (as in zigbee2mqtt); anything else must be a JSON object whose
  // only member is the optional "transaction" (no request takes parameters yet).
  const auto limited = json_limits::parse_limited(payload.empty() ? std::string_view("{}") : payload);
  std::string problem;
  if (!limited) {
    problem = "malformed JSON request: " + limited.error();
  } else if (!limited->is_object()) {
    problem = "the request must be a JSON object (or empty), got " + quote_json(*limited, 64);
  } else if (const auto echo = transaction_of(*limited); !echo) {
    problem = echo.error();
  } else {
    if (!echo.value().is_null()) request.transaction = echo.value();
    for (const auto& item : limited->items())
      if (item.key() != "transaction" && problem.empty())
        problem = fmt::format("unknown key \"{}\" in the {} request; it takes only \"transaction\"",
                              quote_prefix(item.key(), 64), quote_prefix(name, 64));
  }
  request.kind = kind_of(name);
  if (request.kind == BridgeRequest::Kind::unknown) {
    request.error = fmt::format("unknown bridge request \"{}\"; known: {}", quote_prefix(name),
                                fmt::join(topics::kBridgeRequests, ", "));
  } else if (!problem.empty()) {
    request.kind = BridgeRequest::Kind::malformed;
    request.error = std::move(problem);
  }
  return request;
}

nlohmann::json bridge_response(const BridgeRequest& request, nlohmann::json answer) {
  nlohmann::json response;
  if (request.kind == BridgeRequest::Kind::malformed || request.kind == BridgeRequest::Kind::unknown) {
    response = {{"ok", false}, {"error", request.error}};
  } else {
    response = answer.is_object() ? std::move(answer) : nlohmann::json::object();
    response["ok"] = true;
  }
  if (request.transaction) response["transaction"] = *request.transaction;
  return response;
}

}  // namespace hepek::core
