// The hub's infrastructure on the bus: connection endpoints (from the typed [bus] broker address), the
// embedded Mosquitto, the embedded chain node and the hub's own (bridge) connection with its log sink.
//
// Contract: called from Hub::start() on the hub thread; a broker or chain that cannot start throws
// std::runtime_error naming what failed.
#include <fmt/format.h>

#include "client_id_rule.hpp"
#include "hepek/time.hpp"
#include "hepek/topics.hpp"
#include "hub.hpp"
#include "hub_support.hpp"
#include "log.hpp"

namespace hepek::core {

using namespace detail;

BusEndpoint Hub::endpoint_for(const std::string& username) const {
  BusEndpoint endpoint;
  endpoint.keepalive_s = static_cast<int>(config_.keepalive_s);
  const BrokerAddress& broker = config_.broker_address;
  if (broker.embedded()) {
    endpoint.host = config_.bind_address == "0.0.0.0" ? "127.0.0.1" : config_.bind_address;
    endpoint.port = static_cast<int>(config_.port);
    endpoint.username = username;
    endpoint.password = accounts_ ? accounts_->get_or_create(username).password : "";
    return endpoint;
  }
  // An external broker: every connection uses the configured account.
  endpoint.host = broker.host;
  endpoint.port = broker.port;
  endpoint.tls = broker.tls();
  endpoint.username = config_.username;
  endpoint.password = config_.password;
  return endpoint;
}

std::unique_ptr<BusConnection> Hub::make_bus_connection(const std::string& username,
                                                        const std::string& session,
                                                        ConnectionOptions options) {
  const BusEndpoint endpoint = endpoint_for(username);
  options.client_id = session_client_id(endpoint.username, session);
  if (options_.simulation) return local_bus_.connect(std::move(options));
  return make_connection(config_.client, endpoint, std::move(options));
}

void Hub::start_broker() {
  if (options_.simulation || !config_.broker_address.embedded()) return;
  const std::string directory = options_.data_dir + "/broker";
  make_private_directory(directory);
  accounts_ = std::make_unique<AccountStore>(directory + "/accounts.json");
  std::vector<AccountAcl> acls;
  acls.push_back({kHubAccount, {"#"}, {"#"}});
  acls.push_back({"admin", {"#"}, {"#"}});
  acls.push_back({"observer", {}, {"#"}});
  for (const auto& instance : instances_) acls.push_back(instance->acl);
  broker_ = std::make_unique<BrokerSupervisor>(directory, config_.bind_address,
                                               static_cast<int>(config_.port), builtin_broker_plugin());
  broker_->prepare(acls, *accounts_);
  broker_->start();
  log_info("broker",
           fmt::format("embedded Mosquitto listening on {}:{}", config_.bind_address, config_.port));
}

void Hub::start_chain() {
  if (config_.chain_endpoint != "embedded") return;
  const int64_t port = config_.chain.value("port", 8545);
  const int64_t chain_id = config_.chain.value("chain_id", 31337);
  chain_ = std::make_unique<ChainSupervisor>(options_.data_dir + "/chain", "127.0.0.1",
                                             static_cast<int>(port), chain_id, loop_.now_ms() / 1000);
  chain_->start();
  embedded_chain_endpoint_ = chain_->endpoint();
  log_info("chain", fmt::format("embedded anvil (chain id {}) at {}", chain_id, embedded_chain_endpoint_));
}

void Hub::connect_bridge() {
  ConnectionOptions options;
  options.will_topic = std::string(topics::kBridgeState);
  options.will_payload = std::string(topics::kOffline);
  options.on_message = [this](const std::string& topic, const std::string& payload, bool) {
    const std::string prefix = topics::bridge_request("");
    if (topic.rfind(prefix, 0) != 0) return;
    loop_.post([this, name = topic.substr(prefix.size()), payload] { handle_bridge_request(name, payload); });
  };
  options.on_connect = [this] {
    loop_.post([this] {
      if (!bridge_) return;
      bridge_->subscribe(topics::bridge_request("+"), 1);
      bridge_->publish(std::string(topics::kBridgeState), std::string(topics::kOnline), 1, true);
      publish_bridge_info();
    });
  };
  options.on_disconnect = [](const std::string& reason) {
    log_warning("bus", "hub connection lost: " + reason);
  };
  bridge_ = make_bus_connection(kHubAccount, "bridge-" + config_.name, std::move(options));
  bridge_->connect();
  if (!options_.simulation && !wait_connected(*bridge_, 10000))
    log_warning("bus", "the hub's own bus connection is not up yet; it keeps retrying");
  if (!options_.simulation) {
    Logger::instance().set_bus_sink(
        [this](Level level, const std::string& source, const std::string& message) {
          if (!bridge_ || !bridge_->connected()) return;
          bridge_->publish(std::string(topics::kBridgeLog),
                           bus_log_line(level, source, message, iso8601_utc(loop_.now_ms())), 0, false);
        });
  }
}

bool Hub::bridge_connected() const {
  return bridge_ && bridge_->connected();
}

std::string Hub::chain_endpoint() const {
  if (config_.chain_endpoint == "embedded") return embedded_chain_endpoint_;
  return config_.chain_endpoint;
}

}  // namespace hepek::core
