// Bridge service: what the hub says about itself on hepek/bridge/...: info (retained), and the plugins,
// health and info requests answered on hepek/bridge/response/<name> (requests read by bridge_request.cpp).
//
// Contract: hub thread only. Instance states appear as to_string(InstanceState) ("running", "failed", ...);
// a malformed or unknown request gets {"ok":false,"error":...}, never silence: a request is empty or a JSON object
// within the contract's limits whose only member is an optional "transaction" (a string of at most 256 bytes or an
// integer), echoed in the response when it is valid. Errors quote at most a short prefix and are valid UTF-8.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "bridge_request.hpp"
#include "hepek/quote.hpp"
#include "hepek/topics.hpp"
#include "hub.hpp"
#include "log.hpp"
#include "version.hpp"

namespace hepek::core {

using topics::kBridgeRequests;

namespace {

nlohmann::json bridge_request_names() {
  nlohmann::json names = nlohmann::json::array();
  for (const auto name : kBridgeRequests) names.push_back(std::string(name));
  return names;
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
  const BridgeRequest request = parse_bridge_request(name, payload);
  nlohmann::json answer = nlohmann::json::object();
  switch (request.kind) {
    case BridgeRequest::Kind::plugins:
      answer["plugins"] = plugins_json();
      break;
    case BridgeRequest::Kind::health:
      answer = health_json();
      break;
    case BridgeRequest::Kind::info:
      publish_bridge_info();
      break;
    case BridgeRequest::Kind::malformed:
    case BridgeRequest::Kind::unknown:
      log_warning("bridge", fmt::format("refused the {} request: {}", quote_prefix(name, 64), request.error));
      break;
  }
  const nlohmann::json response = bridge_response(request, std::move(answer));
  if (bridge_)
    bridge_->publish(topics::bridge_response(name),
                     response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), 1, false);
}

}  // namespace hepek::core
