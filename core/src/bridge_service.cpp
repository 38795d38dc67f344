// Bridge service: what the hub says about itself on hepek/bridge/...: info (retained), and the plugins,
// health and info requests answered on hepek/bridge/response/<name>.
//
// Contract: hub thread only. Instance states appear as to_string(InstanceState) ("running", "failed", ...);
// a malformed or unknown request gets {"ok":false,"error":...}, never silence: a request is empty or a JSON object
// within the contract's limits whose only member is an optional "transaction" (a string of at most 256 bytes or an
// integer), echoed in the response when it is valid. Errors quote at most a short prefix and are valid UTF-8.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "hepek/json_limits.hpp"
#include "hepek/quote.hpp"
#include "hepek/topics.hpp"
#include "hub.hpp"
#include "log.hpp"
#include "version.hpp"

namespace hepek::core {

using topics::kBridgeRequests;

namespace {

constexpr std::size_t kMaxTransactionBytes = 256;

nlohmann::json bridge_request_names() {
  nlohmann::json names = nlohmann::json::array();
  for (const auto name : kBridgeRequests) names.push_back(std::string(name));
  return names;
}

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

}  // namespace

nlohmann::json Hub::plugins_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& instance : instances_) {
    const hepek_plugin& d = instance->library->descriptor;
    nlohmann::json entry{{"id", instance->id()},
                         {"type", instance->library->type},
                         {"plugin", d.id},
                         {"version", d.version},
                         {"category", d.category ? d.category : ""},
                         {"path", instance->library->path},
                         {"state", to_string(instance->state)}};
    if (!instance->reason.empty()) entry["reason"] = instance->reason;
    list.push_back(entry);
  }
  for (const auto& refused : refused_instances_)
    list.push_back(
        {{"id", refused.id}, {"type", refused.type}, {"state", "refused"}, {"reason", refused.reason}});
  return list;
}

void Hub::publish_bridge_info() {
  if (!bridge_) return;
  nlohmann::json refused = nlohmann::json::array();
  for (const auto& refusal : refusals_)
    refused.push_back({{"path", refusal.path}, {"reason", refusal.reason}});
  nlohmann::json info{{"version", kHepekVersion},
                      {"abi", fmt::format("{}.{}", HEPEK_ABI_MAJOR, HEPEK_ABI_MINOR)},
                      {"topic_contract", topics::kTopicContractVersion},
                      {"name", config_.name},
                      {"broker", config_.broker},
                      {"timezone", config_.timezone},
                      {"requests", bridge_request_names()},
                      {"plugins", plugins_json()},
                      {"refused", refused}};
  bridge_->publish(std::string(topics::kBridgeInfo), info.dump(), 1, true);
}

nlohmann::json Hub::health_json() {
  nlohmann::json plugins = nlohmann::json::object();
  bool healthy = bridge_connected();
  for (const auto& instance : instances_) {
    const bool connected = instance->connection && instance->connection->connected();
    plugins[instance->id()] = {{"state", to_string(instance->state)},
                               {"bus_connected", connected},
                               {"rejected_messages", instance->rejected_messages}};
    healthy = healthy && instance->state == InstanceState::running && connected;
  }
  nlohmann::json health{{"status", healthy ? "ok" : "degraded"},
                        {"uptime_s", (loop_.now_ms() - started_ms_) / 1000},
                        {"bus_connected", bridge_connected()},
                        {"plugins", plugins}};
  if (chain_)
    health["chain"] = {
        {"mode", "embedded"}, {"running", chain_->running()}, {"endpoint", chain_->endpoint()}};
  if (broker_)
    health["broker"] = {
        {"mode", "embedded"}, {"running", broker_->running()}, {"restarts", broker_->restarts()}};
  else
    health["broker"] = {{"mode", options_.simulation ? "in-process" : config_.broker}};
  return health;
}

void Hub::handle_bridge_request(const std::string& name, const std::string& payload) {
  nlohmann::json response;
  nlohmann::json transaction = nullptr;
  // An empty payload is a request without parameters (as in zigbee2mqtt); anything else must be a JSON object whose
  // only member is the optional "transaction" (no request takes parameters yet).
  const auto request = json_limits::parse_limited(payload.empty() ? "{}" : payload);
  const bool known = std::find(kBridgeRequests.begin(), kBridgeRequests.end(), name) != kBridgeRequests.end();
  std::string problem;
  if (!request) {
    problem = "malformed JSON request: " + request.error();
  } else if (!request->is_object()) {
    problem = "the request must be a JSON object (or empty), got " + quote_json(*request, 64);
  } else if (const auto echo = transaction_of(*request); !echo) {
    problem = echo.error();
  } else {
    transaction = echo.value();
    for (const auto& [key, value] : request->items())
      if (key != "transaction" && problem.empty())
        problem = fmt::format("unknown key \"{}\" in the {} request; it takes only \"transaction\"",
                              quote_prefix(key, 64), quote_prefix(name, 64));
  }
  if (!known) {
    response = {{"ok", false},
                {"error", fmt::format("unknown bridge request \"{}\"; known: {}", quote_prefix(name),
                                      fmt::join(kBridgeRequests, ", "))}};
  } else if (!problem.empty()) {
    response = {{"ok", false}, {"error", problem}};
  } else if (name == "plugins") {
    response = {{"ok", true}, {"plugins", plugins_json()}};
  } else if (name == "health") {
    response = health_json();
    response["ok"] = true;
  } else {  // info
    publish_bridge_info();
    response = {{"ok", true}};
  }
  if (!transaction.is_null()) response["transaction"] = transaction;
  if (!response["ok"].get<bool>())
    log_warning("bridge", fmt::format("refused the {} request: {}", quote_prefix(name, 64),
                                      response["error"].get<std::string>()));
  if (bridge_)
    bridge_->publish(topics::bridge_response(name),
                     response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), 1, false);
}

}  // namespace hepek::core
