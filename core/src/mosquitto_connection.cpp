// BusConnection over libmosquitto (threaded loop, TCP_NODELAY, automatic reconnect with exponential backoff).
#include <mosquitto.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>

#include "bus_connection.hpp"

namespace hepek::core {

namespace {

struct LibraryInit {
  LibraryInit() { mosquitto_lib_init(); }
  ~LibraryInit() { mosquitto_lib_cleanup(); }
};

class MosquittoConnection final : public BusConnection {
 public:
  MosquittoConnection(const BusEndpoint& endpoint, ConnectionOptions options)
      : endpoint_(endpoint), options_(std::move(options)) {
    static LibraryInit init;
    client_ = mosquitto_new(options_.client_id.c_str(), true, this);
    if (!client_) throw std::runtime_error("mosquitto_new failed for client " + options_.client_id);
    mosquitto_int_option(client_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    mosquitto_int_option(client_, MOSQ_OPT_TCP_NODELAY, 1);
    if (!endpoint_.username.empty())
      mosquitto_username_pw_set(client_, endpoint_.username.c_str(), endpoint_.password.c_str());
    if (!options_.will_topic.empty())
      mosquitto_will_set(client_, options_.will_topic.c_str(), static_cast<int>(options_.will_payload.size()),
                         options_.will_payload.data(), 1, options_.will_retain);
    if (endpoint_.tls)
      mosquitto_tls_set(client_, "/etc/ssl/certs/ca-certificates.crt", nullptr, nullptr, nullptr, nullptr);
    mosquitto_reconnect_delay_set(client_, 1, 30, true);
    mosquitto_connect_callback_set(client_, &on_connect);
    mosquitto_disconnect_callback_set(client_, &on_disconnect);
    mosquitto_message_callback_set(client_, &on_message);
    mosquitto_publish_callback_set(client_, &on_publish);
  }

  ~MosquittoConnection() override {
    disconnect();
    mosquitto_destroy(client_);
  }

  void connect() override {
    if (started_.exchange(true)) return;
    // A refused first attempt is fine: the loop thread retries with backoff.
    mosquitto_connect_async(client_, endpoint_.host.c_str(), endpoint_.port, endpoint_.keepalive_s);
    mosquitto_loop_start(client_);
  }

  void disconnect() override {
    if (!started_.exchange(false)) return;
    mosquitto_disconnect(client_);
    mosquitto_loop_stop(client_, true);
    connected_ = false;
  }

  bool connected() const override { return connected_; }

  bool publish(const std::string& topic, const std::string& payload, int qos, bool retain) override {
    int mid = 0;
    std::lock_guard lock(pending_mutex_);
    const int rc = mosquitto_publish(client_, &mid, topic.c_str(), static_cast<int>(payload.size()),
                                     payload.data(), qos, retain);
    if (rc != MOSQ_ERR_SUCCESS) return false;
    if (qos > 0) pending_.insert(mid);
    return true;
  }

  bool subscribe(const std::string& filter, int qos) override {
    return mosquitto_subscribe(client_, nullptr, filter.c_str(), qos) == MOSQ_ERR_SUCCESS;
  }

  bool unsubscribe(const std::string& filter) override {
    return mosquitto_unsubscribe(client_, nullptr, filter.c_str()) == MOSQ_ERR_SUCCESS;
  }

  void flush(int timeout_ms) override {
    std::unique_lock lock(pending_mutex_);
    pending_done_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                           [&] { return pending_.empty() || !connected_; });
  }

 private:
  static void on_connect(mosquitto*, void* self, int rc) {
    auto* connection = static_cast<MosquittoConnection*>(self);
    if (rc != 0) return;
    connection->connected_ = true;
    if (connection->options_.on_connect) connection->options_.on_connect();
  }
  static void on_disconnect(mosquitto*, void* self, int rc) {
    auto* connection = static_cast<MosquittoConnection*>(self);
    connection->connected_ = false;
    connection->pending_done_.notify_all();
    if (rc != 0 && connection->options_.on_disconnect)
      connection->options_.on_disconnect(mosquitto_strerror(rc));
  }
  static void on_message(mosquitto*, void* self, const mosquitto_message* message) {
    auto* connection = static_cast<MosquittoConnection*>(self);
    if (!connection->options_.on_message) return;
    connection->options_.on_message(
        message->topic,
        std::string(static_cast<const char*>(message->payload), static_cast<size_t>(message->payloadlen)),
        message->retain);
  }
  static void on_publish(mosquitto*, void* self, int mid) {
    auto* connection = static_cast<MosquittoConnection*>(self);
    std::lock_guard lock(connection->pending_mutex_);
    connection->pending_.erase(mid);
    if (connection->pending_.empty()) connection->pending_done_.notify_all();
  }

  BusEndpoint endpoint_;
  ConnectionOptions options_;
  mosquitto* client_ = nullptr;
  std::atomic<bool> started_{false};
  std::atomic<bool> connected_{false};
  std::mutex pending_mutex_;
  std::condition_variable pending_done_;
  std::set<int> pending_;
};

}  // namespace

std::unique_ptr<BusConnection> make_mosquitto_connection(const BusEndpoint& endpoint,
                                                         ConnectionOptions options) {
  return std::make_unique<MosquittoConnection>(endpoint, std::move(options));
}

std::unique_ptr<BusConnection> make_connection(const std::string& client, const BusEndpoint& endpoint,
                                               ConnectionOptions options) {
  if (client == "paho") return make_paho_connection(endpoint, std::move(options));
  return make_mosquitto_connection(endpoint, std::move(options));
}

}  // namespace hepek::core
