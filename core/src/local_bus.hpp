// The in-process bus used for lock-step simulation: MQTT semantics (topic filters, retained messages, per-client
// subscriptions) without a socket, so a simulated year is deterministic and fast.
//
// Contract: connections are served in creation order and messages in publish order (FIFO), so the same inputs give
// the same deliveries. Thread-safe; on_message is called on the publishing thread (the hub hands it to its event
// loop). ACLs are enforced by the hub before publish, exactly as on the real broker path.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bus_connection.hpp"

namespace hepek::core {

class LocalBus {
 public:
  std::unique_ptr<BusConnection> connect(ConnectionOptions options);

  // Counters for the simulation summary / tests.
  uint64_t messages_published() const;

 private:
  friend class LocalConnection;
  struct Client {
    ConnectionOptions options;
    std::vector<std::string> filters;
    bool connected = false;
  };
  void publish(const std::string& topic, const std::string& payload, bool retain);
  void subscribe(Client* client, const std::string& filter);

  mutable std::recursive_mutex mutex_;
  std::vector<Client*> clients_;
  std::map<std::string, std::string> retained_;
  uint64_t published_ = 0;
};

}  // namespace hepek::core
