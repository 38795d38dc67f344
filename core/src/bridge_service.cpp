// Bridge service: what the hub says about itself on hepek/bridge/...: info (retained), and the plugins,
// health and info requests answered on hepek/bridge/response/<name>.
//
// Contract: hub thread only. Instance states appear as to_string(InstanceState) ("running", "failed", ...);
// a malformed or unknown request gets {"ok":false,"error":...}, never silence.
#include <fmt/format.h>

#include "hepek/command_validation.hpp"
#include "hepek/json_limits.hpp"
#include "hepek/topics.hpp"
#include "hub.hpp"
#include "version.hpp"

namespace hepek::core {

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
  const auto limited = json_limits::parse_limited(payload.empty() ? "{}" : payload);
  const nlohmann::json request = limited ? *limited : nlohmann::json(nlohmann::json::value_t::discarded);
  if (!limited) {
    response = {{"ok", false}, {"error", "malformed JSON request: " + limited.error()}};
  } else if (name == "plugins") {
    response = {{"ok", true}, {"plugins", plugins_json()}};
  } else if (name == "health") {
    response = health_json();
    response["ok"] = true;
  } else if (name == "info") {
    publish_bridge_info();
    response = {{"ok", true}};
  } else {
    response = {{"ok", false},
                {"error", fmt::format("unknown bridge request \"{}\"; known: plugins, health, info",
                                      quote_prefix(name))}};
  }
  if (request.is_object() && request.contains("transaction"))
    response["transaction"] = request["transaction"];
  if (bridge_) bridge_->publish(topics::bridge_response(name), response.dump(), 1, false);
}

}  // namespace hepek::core
