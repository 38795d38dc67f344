// The relay's MQTT backend against the real hub and its embedded Mosquitto: a command on hepek/<relay>/set
// drives a Tasmota-style plug (cmnd/<plug>/POWER OFF), an invalid command is refused, the plug's own state
// report (stat/<plug>/POWER ON) is followed, and the commanded state is remembered across a restart of the
// hub.
#include <gtest/gtest.h>

#include <mosquitto.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string hepek_binary() {
  const char* dir = std::getenv("HEPEK_BINARY_DIR");
  return std::string(dir ? dir : "build") + "/bin/hepek";
}

struct Message {
  std::string topic, payload;
};

// A bus client on the admin account, recording every message it receives.
class Client {
 public:
  Client(int port, const std::string& user, const std::string& password) {
    mosquitto_lib_init();
    mosq_ = mosquitto_new(nullptr, true, this);
    mosquitto_username_pw_set(mosq_, user.c_str(), password.c_str());
    mosquitto_message_callback_set(mosq_, [](mosquitto*, void* self, const mosquitto_message* m) {
      auto* client = static_cast<Client*>(self);
      std::lock_guard lock(client->mutex_);
      client->messages_.push_back(
          {m->topic, std::string(static_cast<const char*>(m->payload), m->payloadlen)});
      client->changed_.notify_all();
    });
    connected_ = mosquitto_connect(mosq_, "127.0.0.1", port, 30) == MOSQ_ERR_SUCCESS;
    if (connected_) mosquitto_loop_start(mosq_);
  }
  ~Client() {
    if (connected_) {
      mosquitto_disconnect(mosq_);
      mosquitto_loop_stop(mosq_, false);
    }
    mosquitto_destroy(mosq_);
    mosquitto_lib_cleanup();
  }
  bool connected() const { return connected_; }
  void subscribe(const std::string& filter) { mosquitto_subscribe(mosq_, nullptr, filter.c_str(), 1); }
  void publish(const std::string& topic, const std::string& payload) {
    mosquitto_publish(mosq_, nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(), 1,
                      false);
  }
  // Waits for a message on `topic` whose payload satisfies `accept`.
  template <typename Predicate>
  bool wait_for(const std::string& topic, Predicate accept, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
      for (const auto& message : messages_)
        if (message.topic == topic && accept(message.payload)) return true;
      return false;
    });
  }
  void clear() {
    std::lock_guard lock(mutex_);
    messages_.clear();
  }

 private:
  mosquitto* mosq_ = nullptr;
  bool connected_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Message> messages_;
};

bool relay_state_is(const std::string& payload, const char* state) {
  const auto json = nlohmann::json::parse(payload, nullptr, false);
  return json.is_object() && json.value("state", "") == state;
}

class Hub {
 public:
  Hub(const std::string& config, const std::string& data_dir) {
    pid_ = fork();
    if (pid_ == 0) {
      const std::string binary = hepek_binary();
      execl(binary.c_str(), binary.c_str(), "--config", config.c_str(), "--data-dir", data_dir.c_str(), "run",
            "--for", "60s", static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~Hub() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }

 private:
  pid_t pid_ = -1;
};

std::string admin_password(const std::string& config, const std::string& data_dir) {
  const std::string command = "'" + hepek_binary() + "' --config '" + config + "' --data-dir '" + data_dir +
                              "' bus accounts 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  std::string text;
  char buffer[512];
  while (pipe && fgets(buffer, sizeof buffer, pipe)) text += buffer;
  if (pipe) pclose(pipe);
  const auto json = nlohmann::json::parse(text, nullptr, false);
  return json.is_object() && json.contains("admin") ? json["admin"].value("password", "") : "";
}

std::unique_ptr<Client> connect_when_up(int port, const std::string& config, const std::string& data_dir) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::this_thread::sleep_for(200ms);
    const std::string password = admin_password(config, data_dir);
    if (password.empty()) continue;
    auto client = std::make_unique<Client>(port, "admin", password);
    if (client->connected()) return client;
  }
  return nullptr;
}

}  // namespace

TEST(RelayMqtt, DrivesAPlugFollowsItAndRemembersItsState) {
  ASSERT_TRUE(fs::exists(hepek_binary())) << hepek_binary() << " is not built";
  const fs::path dir = fs::temp_directory_path() / ("hepek-relay-it-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const int port = 20000 + getpid() % 20000;
  const std::string config = (dir / "relay.toml").string(), data_dir = (dir / "data").string();
  std::ofstream(config) << "[hub]\nname = \"relay-test\"\n[bus]\nbroker = \"embedded\"\nport = " << port
                        << "\n[[plugin]]\nid = \"supply\"\ntype = \"relay\"\nbackend = \"mqtt\"\n"
                           "command_topic = \"cmnd/testplug/POWER\"\nstate_topic = \"stat/testplug/POWER\"\n";
  {
    Hub hub(config, data_dir);
    auto client = connect_when_up(port, config, data_dir);
    ASSERT_TRUE(client) << "the hub's broker did not come up on port " << port;
    client->subscribe("hepek/supply/state");
    client->subscribe("cmnd/testplug/POWER");
    ASSERT_TRUE(
        client->wait_for("hepek/supply/state", [](const std::string& p) { return relay_state_is(p, "on"); }));

    client->publish("hepek/supply/set", R"({"state":"off"})");
    EXPECT_TRUE(client->wait_for("cmnd/testplug/POWER", [](const std::string& p) { return p == "OFF"; }));
    EXPECT_TRUE(client->wait_for("hepek/supply/state",
                                 [](const std::string& p) { return relay_state_is(p, "off"); }));

    client->publish("hepek/supply/set", R"({"state":"maybe"})");  // rejected by the declared enum schema
    // Someone presses the plug's button: the relay follows the plug's report (the hub's retained state is now
    // "on", while the last commanded state stays "off").
    client->clear();
    client->publish("stat/testplug/POWER", "ON");
    EXPECT_TRUE(
        client->wait_for("hepek/supply/state", [](const std::string& p) { return relay_state_is(p, "on"); }));
  }
  {
    // After a restart the last commanded state (off) is restored, whatever was retained before.
    Hub hub(config, data_dir);
    auto client = connect_when_up(port, config, data_dir);
    ASSERT_TRUE(client);
    client->subscribe("hepek/supply/state");
    EXPECT_TRUE(client->wait_for("hepek/supply/state",
                                 [](const std::string& p) { return relay_state_is(p, "off"); }));
  }
  fs::remove_all(dir);
}
