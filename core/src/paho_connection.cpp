// BusConnection over Paho MQTT C++ (async client). Paho C 1.3.12 cannot set TCP_NODELAY; see README "Bus client".
#include <mqtt/async_client.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "bus_connection.hpp"

namespace hepek::core {

namespace {

class PahoConnection final : public BusConnection, public virtual mqtt::callback {
 public:
  PahoConnection(const BusEndpoint& endpoint, ConnectionOptions options)
      : options_(std::move(options)),
        client_(std::string(endpoint.tls ? "ssl://" : "tcp://") + endpoint.host + ":" +
                    std::to_string(endpoint.port),
                options_.client_id, 10000, nullptr) {
    auto builder = mqtt::connect_options_builder()
                       .mqtt_version(MQTTVERSION_3_1_1)
                       .clean_session(true)
                       .keep_alive_interval(std::chrono::seconds(endpoint.keepalive_s))
                       .automatic_reconnect(std::chrono::seconds(1), std::chrono::seconds(30));
    if (!endpoint.username.empty()) builder.user_name(endpoint.username).password(endpoint.password);
    if (!options_.will_topic.empty())
      builder.will(mqtt::message(options_.will_topic, options_.will_payload, 1, options_.will_retain));
    if (endpoint.tls)
      builder.ssl(mqtt::ssl_options_builder().trust_store("/etc/ssl/certs/ca-certificates.crt").finalize());
    connect_options_ = builder.finalize();
    client_.set_callback(*this);
  }

  ~PahoConnection() override { disconnect(); }

  void connect() override {
    if (started_.exchange(true)) return;
    // Paho's automatic reconnect only covers a lost connection: retry the first connect ourselves.
    connector_ = std::thread([this] {
      int delay_ms = 100;
      while (started_) {
        try {
          client_.connect(connect_options_)->wait();
          return;
        } catch (const mqtt::exception&) {
        }
        std::unique_lock lock(stop_mutex_);
        stop_wake_.wait_for(lock, std::chrono::milliseconds(delay_ms), [&] { return !started_; });
        delay_ms = std::min(delay_ms * 2, 30000);
      }
    });
  }

  void disconnect() override {
    if (!started_.exchange(false)) return;
    stop_wake_.notify_all();
    if (connector_.joinable()) connector_.join();
    try {
      if (client_.is_connected()) client_.disconnect()->wait_for(std::chrono::seconds(2));
    } catch (const mqtt::exception&) {
    }
  }

  bool connected() const override { return client_.is_connected(); }

  bool publish(const std::string& topic, const std::string& payload, int qos, bool retain) override {
    try {
      client_.publish(topic, payload.data(), payload.size(), qos, retain);
      return true;
    } catch (const mqtt::exception&) {
      return false;
    }
  }

  bool subscribe(const std::string& filter, int qos) override {
    try {
      client_.subscribe(filter, qos);
      return true;
    } catch (const mqtt::exception&) {
      return false;
    }
  }

  bool unsubscribe(const std::string& filter) override {
    try {
      client_.unsubscribe(filter);
      return true;
    } catch (const mqtt::exception&) {
      return false;
    }
  }

  void flush(int timeout_ms) override {
    for (auto& token : client_.get_pending_delivery_tokens()) {
      try {
        token->wait_for(std::chrono::milliseconds(timeout_ms));
      } catch (const mqtt::exception&) {
      }
    }
  }

 private:
  void connected(const std::string&) override {
    if (options_.on_connect) options_.on_connect();
  }
  void connection_lost(const std::string& cause) override {
    if (options_.on_disconnect) options_.on_disconnect(cause.empty() ? "connection lost" : cause);
  }
  void message_arrived(mqtt::const_message_ptr message) override {
    if (options_.on_message)
      options_.on_message(message->get_topic(), message->to_string(), message->is_retained());
  }

  ConnectionOptions options_;
  mqtt::async_client client_;
  mqtt::connect_options connect_options_;
  std::atomic<bool> started_{false};
  std::thread connector_;
  std::mutex stop_mutex_;
  std::condition_variable stop_wake_;
};

}  // namespace

std::unique_ptr<BusConnection> make_paho_connection(const BusEndpoint& endpoint, ConnectionOptions options) {
  return std::make_unique<PahoConnection>(endpoint, std::move(options));
}

}  // namespace hepek::core
