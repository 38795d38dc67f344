// One plugin instance inside the hub: its config, ACL, bus connection, subscriptions, devices and timers.
//
// Contract: owned by the Hub; every field is touched only on the hub's event thread, except `connection` (whose
// methods are thread-safe) and the immutable identity fields. `alive` gates callbacks: once false, no callback
// into the plugin runs again, which is what makes unloading safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acl.hpp"
#include "bus_connection.hpp"
#include "config.hpp"
#include "hepek/abi.h"
#include "plugin_library.hpp"

namespace hepek::core {
class Hub;
class Instance;
}  // namespace hepek::core

// The ABI's opaque host handle: one per instance.
struct hepek_host {
  hepek::core::Hub* hub;
  hepek::core::Instance* instance;
};

namespace hepek::core {

// Where an instance is in its life. configured → running → stopped, or → failed (with a reason) from
// configured (refused at start) or running (the plugin called fail()).
enum class InstanceState { configured, running, failed, stopped };

// The name used in hepek/bridge/info, health and logs: "configured", "running", "failed", "stopped".
inline const char* to_string(InstanceState state) {
  switch (state) {
    case InstanceState::configured:
      return "configured";
    case InstanceState::running:
      return "running";
    case InstanceState::failed:
      return "failed";
    case InstanceState::stopped:
      return "stopped";
  }
  return "unknown";
}

struct Subscription {
  uint64_t id;
  std::string filter;
  int qos;
  hepek_message_fn callback;
  void* user;
};

struct AnnouncedDevice {
  std::string name;
  nlohmann::json metadata;
  hepek_device_command_fn handler = nullptr;
  void* user = nullptr;
};

class Instance {
 public:
  PluginInstanceConfig config;
  std::shared_ptr<PluginLibrary> library;
  nlohmann::json settings;  // validated, defaults filled
  std::string settings_text;
  AccountAcl acl;
  std::string data_dir;
  uint64_t seed = 0;
  std::unique_ptr<BusConnection> connection;
  hepek_instance* plugin = nullptr;
  hepek_host handle{};

  InstanceState state = InstanceState::configured;
  std::string reason;
  bool alive = false;

  std::mutex mutex;  // guards subscriptions, devices and timers (host API calls may come from plugin threads)

  std::vector<Subscription> subscriptions;
  // Whether on_instance_connected() has replayed the subscriptions on the current connection: until then a new
  // subscription only joins the list (the replay sends it), afterwards it is sent at once. Sending it both ways
  // made the broker hand the plugin every retained message of the filter twice.
  bool subscriptions_replayed = false;
  std::map<std::string, AnnouncedDevice> devices;
  std::vector<uint64_t> timers;

  // Messages not delivered because they broke the JSON limits (hepek/json_limits.hpp); hub thread only.
  uint64_t rejected_messages = 0;

  const std::string& id() const { return config.id; }
};

}  // namespace hepek::core
