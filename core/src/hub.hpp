// The hub: loads plugin libraries, runs one instance per [[plugin]] table, connects each to the bus with its
// own account, answers bridge requests, and supervises the embedded broker.
//
// One class, implemented per concern: hub.cpp (lifecycle), instance_manager.cpp (discovery, instance
// planning, start/stop/fail), bus_services.cpp (endpoints, broker, chain, bridge connection),
// host_backends.cpp (host API back ends, dispatch, device commands), bridge_service.cpp (info, health,
// requests), cli_context.cpp (the bus context of plugin CLI commands).
//
// Contract: construct, discover_plugins(), plan_instances() (config errors, no side effects), then start().
// In real time run() blocks until stop() (thread-safe) or the duration ends; in simulation the lock-step
// driver calls step_all() and drains the event loop. shutdown() stops instances in reverse order, publishes
// offline and stops the broker; it is idempotent. A plugin that fails to load, to validate or to start is
// refused with a message naming it and the reason, and the hub carries on with the others.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker.hpp"
#include "chain_supervisor.hpp"
#include "config.hpp"
#include "data_dir_lock.hpp"
#include "event_loop.hpp"
#include "instance.hpp"
#include "key_store.hpp"
#include "local_bus.hpp"
#include "plugin_library.hpp"

namespace hepek::core {

struct HubOptions {
  bool simulation = false;
  int64_t start_ms = 0;  // virtual clock start (simulation)
  uint64_t seed = 1;
  std::string data_dir;  // resolved data directory
};

class Hub {
 public:
  Hub(HubConfig config, HubOptions options);
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // Takes the exclusive lock on the data directory (creating it); start() does it first. Throws
  // std::runtime_error ("data directory ... in use ... (pid N)") when another process holds it.
  void lock_data_dir() { data_dir_lock_.acquire(options_.data_dir); }
  void discover_plugins();
  const std::vector<PluginRefusal>& refusals() const { return refusals_; }
  const std::map<std::string, std::shared_ptr<PluginLibrary>>& libraries() const { return libraries_; }
  std::vector<ConfigError> plan_instances();
  // Unloads the plugin libraries no planned instance uses (after plan_instances(), when nothing will list or
  // plan plugins again): their code and the libraries only they link (libgps, libmodbus, ...) leave memory.
  void release_unused_libraries();

  void start();
  void run(std::optional<int64_t> duration_ms = std::nullopt);
  void stop();
  void shutdown();

  // Lock-step: one phase on every running instance in config order (simulation driver).
  void step_all(int32_t phase, int64_t now_ms);
  nlohmann::json summary();

  EventLoop& loop() { return loop_; }
  const HubConfig& config() const { return config_; }
  const HubOptions& options() const { return options_; }
  const std::vector<std::unique_ptr<Instance>>& instances() const { return instances_; }
  BrokerSupervisor* broker() { return broker_.get(); }
  ChainSupervisor* chain() { return chain_.get(); }
  AccountStore* accounts() { return accounts_.get(); }
  KeyStore& key_store() { return key_store_; }
  bool bridge_connected() const;

  // Used by the host API (hub thread unless noted).
  int32_t publish_from(Instance& instance, const std::string& topic, const std::string& payload, int qos,
                       bool retain);
  int32_t subscribe_for(Instance& instance, const std::string& filter, int qos, hepek_message_fn callback,
                        void* user, uint64_t* id);
  int32_t unsubscribe_for(Instance& instance, uint64_t id);
  int32_t announce_for(Instance& instance, const std::string& device, const std::string& metadata,
                       hepek_device_command_fn handler, void* user);
  int32_t add_timer_for(Instance& instance, uint64_t period_ms, hepek_timer_fn callback, void* user,
                        uint64_t* id);
  int32_t cancel_timer_for(Instance& instance, uint64_t id);
  std::string chain_endpoint() const;
  void fail_instance(Instance& instance, const std::string& reason);
  // The first instance failure reported through the host API ("<id>: <reason>"), or empty.
  std::string first_failure() const;

  static const hepek_host_api* host_api();

  // For plugin CLI commands: a bus-connected context with the admin account of the running hub's embedded
  // broker (its event loop on a background thread), or null when no broker answers. Closed by
  // close_cli_context().
  hepek_host* open_cli_context(const std::shared_ptr<PluginLibrary>& library, const nlohmann::json& settings,
                               const std::string& data_dir);
  void close_cli_context();

 private:
  BusEndpoint endpoint_for(const std::string& username) const;
  // A connection logged in as `username`; `session` names it uniquely among the hub's connections and becomes its
  // client id under the account it really logs in with (session_client_id(), client_id_rule.hpp).
  std::unique_ptr<BusConnection> make_bus_connection(const std::string& username, const std::string& session,
                                                     ConnectionOptions options);
  void start_broker();
  void start_chain();
  void connect_bridge();
  void start_instance(Instance& instance);
  void stop_instance(Instance& instance);
  void dispatch(Instance& instance, const std::string& topic, const std::string& payload, bool retained);
  void handle_command(Instance& instance, AnnouncedDevice& device, const std::string& payload);
  void on_instance_connected(Instance& instance);
  void handle_bridge_request(const std::string& name, const std::string& payload);
  nlohmann::json plugins_json() const;
  nlohmann::json health_json();
  void publish_bridge_info();
  std::vector<std::string> expand_grants(const Instance& instance, hepek_access access) const;

  HubConfig config_;
  HubOptions options_;
  EventLoop loop_;
  LocalBus local_bus_;
  DataDirLock data_dir_lock_;  // taken first in start(): nothing in the data dir is touched before it
  KeyStore key_store_;
  std::map<std::string, std::shared_ptr<PluginLibrary>> libraries_;  // by type
  std::vector<PluginRefusal> refusals_;
  struct RefusedInstance {
    std::string id, type, reason;
  };
  std::vector<RefusedInstance> refused_instances_;  // config problems: reported on hepek/bridge/info
  std::vector<std::unique_ptr<Instance>> instances_;
  std::unique_ptr<AccountStore> accounts_;
  std::unique_ptr<BrokerSupervisor> broker_;
  std::unique_ptr<ChainSupervisor> chain_;
  std::unique_ptr<BusConnection> bridge_;
  std::string embedded_chain_endpoint_;
  // Shared by every instance; instances subscribe under their own mutex, possibly from their own threads.
  std::atomic<uint64_t> next_subscription_id_{1};
  mutable std::mutex failure_mutex_;
  std::string first_failure_;
  int64_t started_ms_ = 0;
  std::unique_ptr<Instance> cli_instance_;
  std::thread cli_loop_;
  bool started_ = false;
  bool shut_down_ = false;
};

}  // namespace hepek::core
