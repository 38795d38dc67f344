#include "local_bus.hpp"

#include <algorithm>

#include "hepek/topics.hpp"

namespace hepek::core {

class LocalConnection final : public BusConnection {
 public:
  LocalConnection(LocalBus& bus, ConnectionOptions options) : bus_(bus) {
    client_.options = std::move(options);
  }
  ~LocalConnection() override { disconnect(); }

  void connect() override {
    {
      std::lock_guard lock(bus_.mutex_);
      if (client_.connected) return;
      client_.connected = true;
      bus_.clients_.push_back(&client_);
    }
    if (client_.options.on_connect) client_.options.on_connect();
  }
  void disconnect() override {
    std::lock_guard lock(bus_.mutex_);
    if (!client_.connected) return;
    client_.connected = false;
    bus_.clients_.erase(std::remove(bus_.clients_.begin(), bus_.clients_.end(), &client_),
                        bus_.clients_.end());
  }
  bool connected() const override { return client_.connected; }
  bool publish(const std::string& topic, const std::string& payload, int, bool retain) override {
    bus_.publish(topic, payload, retain);
    return true;
  }
  bool subscribe(const std::string& filter, int) override {
    bus_.subscribe(&client_, filter);
    return true;
  }
  bool unsubscribe(const std::string& filter) override {
    std::lock_guard lock(bus_.mutex_);
    auto& filters = client_.filters;
    filters.erase(std::remove(filters.begin(), filters.end(), filter), filters.end());
    return true;
  }
  void flush(int) override {}

 private:
  LocalBus& bus_;
  LocalBus::Client client_;
};

std::unique_ptr<BusConnection> LocalBus::connect(ConnectionOptions options) {
  return std::make_unique<LocalConnection>(*this, std::move(options));
}

uint64_t LocalBus::messages_published() const {
  std::lock_guard lock(mutex_);
  return published_;
}

void LocalBus::publish(const std::string& topic, const std::string& payload, bool retain) {
  std::lock_guard lock(mutex_);
  ++published_;
  if (retain) {
    if (payload.empty())
      retained_.erase(topic);
    else
      retained_[topic] = payload;
  }
  const std::vector<Client*> clients = clients_;  // a callback may connect or disconnect
  for (Client* client : clients) {
    // One delivery per client, however many of its filters match (as Mosquitto does for overlapping filters).
    const bool matches =
        std::any_of(client->filters.begin(), client->filters.end(),
                    [&](const std::string& filter) { return topics::topic_matches(filter, topic); });
    if (matches && client->options.on_message) client->options.on_message(topic, payload, false);
  }
}

void LocalBus::subscribe(Client* client, const std::string& filter) {
  std::lock_guard lock(mutex_);
  if (std::find(client->filters.begin(), client->filters.end(), filter) == client->filters.end())
    client->filters.push_back(filter);
  if (!client->options.on_message) return;
  for (const auto& [topic, payload] : retained_)
    if (topics::topic_matches(filter, topic)) client->options.on_message(topic, payload, true);
}

}  // namespace hepek::core
