// One MQTT connection of the hub: the hub's own (bridge) or one per plugin instance.
//
// Contract: implementations (libmosquitto, Paho, the in-process bus) connect in the background and reconnect with
// backoff forever; on every (re)connect they call on_connect, after which the owner re-subscribes (sessions are
// clean). on_message runs on the client library's thread: the owner must hand work to the event loop. publish()
// and subscribe() are thread-safe and return false when the message cannot be handed to the client (e.g.
// disconnected: QoS 1 messages are queued by the library while the connection is being re-established).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace hepek::core {

struct BusEndpoint {
  std::string host = "127.0.0.1";
  int port = 1883;
  bool tls = false;
  std::string username;
  std::string password;
  int keepalive_s = 30;
};

struct ConnectionOptions {
  std::string client_id;
  std::string will_topic;  // empty: no last will
  std::string will_payload;
  bool will_retain = true;
  std::function<void(const std::string& topic, const std::string& payload, bool retained)> on_message;
  std::function<void()> on_connect;
  std::function<void(const std::string& reason)> on_disconnect;
};

class BusConnection {
 public:
  virtual ~BusConnection() = default;
  virtual void connect() = 0;     // starts connecting in the background
  virtual void disconnect() = 0;  // clean disconnect (no last will), stops reconnecting
  virtual bool connected() const = 0;
  virtual bool publish(const std::string& topic, const std::string& payload, int qos, bool retain) = 0;
  virtual bool subscribe(const std::string& filter, int qos) = 0;
  virtual bool unsubscribe(const std::string& filter) = 0;
  // Blocks until every QoS 1 message published so far is acknowledged (or timeout). For orderly shutdown.
  virtual void flush(int timeout_ms) = 0;
};

std::unique_ptr<BusConnection> make_mosquitto_connection(const BusEndpoint& endpoint,
                                                         ConnectionOptions options);
std::unique_ptr<BusConnection> make_paho_connection(const BusEndpoint& endpoint, ConnectionOptions options);
std::unique_ptr<BusConnection> make_connection(const std::string& client, const BusEndpoint& endpoint,
                                               ConnectionOptions options);

}  // namespace hepek::core
