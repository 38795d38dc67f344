// Issue 9, client-id takeover, against the real hub and its real embedded Mosquitto with the client-id plugin
// (core/broker-plugin): no account can disconnect the hub's bridge, a plugin or another account's session by
// connecting with its client id (MQTT session takeover), while one account keeps several concurrent sessions; a
// wrong password is still refused; the command-line clients mosquitto_sub/mosquitto_pub are treated the same.
// A takeover is detected by what a watcher sees (the taken session's last will `offline`) and by the hub's log
// ("connection lost"); a health request answered through the bridge orders the watcher's view after the attacks.
// The control: a takeover the rule allows (an account taking its own session) shows every one of those signs.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "test_support.hpp"

using namespace hepek::testing;

namespace {

const char* kTwoMeters = R"(
[[plugin]]
id = "hello"
type = "hello-meter"
interval_ms = 200

[[plugin]]
id = "hello-2"
type = "hello-meter"
interval_ms = 200
)";

constexpr int kNotAuthorised = 5;  // CONNACK return code (MQTT 3.1.1)

class ClientIdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HEPEK_REQUIRE_HUB();
    HEPEK_REQUIRE_PLUGIN("hello-meter");
    port_ = free_port();
    data_dir_ = temp_.file("data");
    hub_ = std::make_unique<HubProcess>(write_config(temp_.path(), port_, kTwoMeters), data_dir_);
    watcher_ = connect_account(data_dir_, port_, "observer", "observer-watch");
    ASSERT_TRUE(watcher_) << hub_->log();
    watcher_->subscribe("hepek/bridge/response/health");
    for (const char* topic : kSessionTopics) watcher_->subscribe(topic);
    for (const char* topic : kSessionTopics)
      ASSERT_TRUE(watcher_->wait_for(topic, online, 10000)) << topic << "\n" << hub_->log();
  }

  static bool online(const Received& m) { return m.payload == "online"; }
  static bool offline(const Received& m) { return m.payload == "offline"; }
  std::string password(const std::string& account) const {
    return accounts(data_dir_)[account].get<std::string>();
  }
  std::string broker_log() const { return read_file(data_dir_ + "/broker/mosquitto.log"); }

  // mosquitto_sub or mosquitto_pub (package mosquitto-clients) logged in as `account` on the hub's broker.
  CommandResult command_line_client(const std::string& tool, const std::string& account,
                                    const std::string& secret,
                                    const std::vector<std::string>& arguments) const {
    std::vector<std::string> argv{tool, "-h",    "127.0.0.1", "-p",  std::to_string(port_),
                                  "-u", account, "-P",        secret};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return run_command(argv, 30);
  }

  // Every payload the watcher received on `topic` (the retained one at subscription first).
  std::vector<std::string> seen(const std::string& topic) const {
    std::vector<std::string> payloads;
    for (const auto& message : watcher_->messages())
      if (message.topic == topic) payloads.push_back(message.payload);
    return payloads;
  }

  // A health request by admin, answered through the bridge: once the watcher has the answer, it also has
  // everything the broker sent it before (a last will published by a takeover included).
  nlohmann::json health_seen_by_watcher() {
    auto admin = connect_account(data_dir_, port_, "admin", "admin-health");
    if (!admin) return {};
    const std::string transaction = "t" + std::to_string(++requests_);
    admin->publish("hepek/bridge/request/health", R"({"transaction":")" + transaction + R"("})");
    const auto answer = watcher_->wait_for(
        "hepek/bridge/response/health",
        [&](const Received& m) { return m.payload.find('"' + transaction + '"') != std::string::npos; },
        10000);
    return answer ? nlohmann::json::parse(answer->payload) : nlohmann::json();
  }

  // What a takeover of one of the hub's sessions leaves behind, one line each: a last will (`offline`) or no
  // message at all on a session's topic, the watcher's own connection closed, "connection lost" in the hub's log.
  // (Counting the `online`s would not do: a plugin publishes it at start and again when its connection is up.)
  std::vector<std::string> takeover_signs() const {
    std::vector<std::string> signs;
    for (const char* topic : kSessionTopics) {
      const auto payloads = seen(topic);
      if (payloads.empty()) signs.push_back(std::string(topic) + ": the watcher saw nothing");
      for (const auto& payload : payloads)
        if (payload != "online") signs.push_back(std::string(topic) + ": " + payload);
    }
    if (watcher_->disconnects() > 0)
      signs.push_back("the watcher lost its connection " + std::to_string(watcher_->disconnects()) +
                      " times");
    if (hub_->log().find("connection lost") != std::string::npos)
      signs.push_back("the hub's log: connection lost");
    return signs;
  }

  // None of the hub's sessions was taken over, and the hub runs.
  void expect_no_takeover() {
    std::string signs;
    for (const auto& sign : takeover_signs()) signs += sign + "\n";
    EXPECT_EQ(signs, "") << hub_->log();
    ASSERT_TRUE(hub_->running()) << hub_->log();
  }

  // True once `condition` holds (checked every 50 ms, up to timeout_ms).
  static bool eventually(const std::function<bool()>& condition, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!condition()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
  }
  bool hub_logged(const std::string& text) const { return hub_->log().find(text) != std::string::npos; }
  // The latest payload the watcher received on `topic` is "online" (a session that went offline is back).
  bool back_online(const std::string& topic) const {
    const auto payloads = seen(topic);
    return !payloads.empty() && payloads.back() == "online";
  }

  static constexpr const char* kSessionTopics[] = {"hepek/bridge/state", "hepek/hello/availability",
                                                   "hepek/hello-2/availability"};

  TempDir temp_;
  int port_ = 0;
  std::string data_dir_;
  std::unique_ptr<HubProcess> hub_;
  std::unique_ptr<MqttClient> watcher_;
  int requests_ = 0;
};

TEST_F(ClientIdTest, NoAccountCanTakeTheHubsOrAPluginsClientId) {
  EXPECT_NE(broker_log().find("hepek client-id plugin: client ids bound to 5 accounts"), std::string::npos)
      << broker_log();
  struct Attack {
    std::string account, client_id;
  };
  const std::vector<Attack> attacks{
      {"observer", "hub-bridge-test"},  // the hub's own session ([hub] name = "test")
      {"observer", "plugin-hello"},     // a plugin's session
      {"admin", "hub-bridge-test"},       {"admin", "plugin-hello-2"},
      {"admin", "observer-watch"},         // another account's session
      {"plugin-hello", "plugin-hello-2"},  // under plugin-hello's name, but plugin-hello-2's (the longer account)
      {"observer", "hepek-bridge-test"},  // the ids before the rule: under no account
  };
  // The attackers stay alive: libmosquitto retries every second, and is refused every time.
  std::vector<std::unique_ptr<MqttClient>> attackers;
  for (const auto& attack : attacks) {
    attackers.push_back(
        std::make_unique<MqttClient>(port_, attack.account, password(attack.account), attack.client_id));
    EXPECT_EQ(attackers.back()->connect_result(), kNotAuthorised)
        << attack.account << " as " << attack.client_id;
    EXPECT_FALSE(attackers.back()->connected()) << attack.account << " as " << attack.client_id;
    EXPECT_NE(broker_log().find("refused client id \"" + attack.client_id + "\" for account \"" +
                                attack.account + "\""),
              std::string::npos)
        << broker_log();
  }
  auto health = health_seen_by_watcher();  // not const: operator[] gives null for what a failed request lacks
  EXPECT_TRUE(health.is_object()) << hub_->log();
  EXPECT_EQ(health["bus_connected"], true) << health;
  EXPECT_EQ(health["plugins"]["hello"]["bus_connected"], true) << health;
  EXPECT_EQ(health["plugins"]["hello-2"]["bus_connected"], true) << health;
  expect_no_takeover();
}

TEST_F(ClientIdTest, OneAccountKeepsSeveralConcurrentSessions) {
  std::vector<std::unique_ptr<MqttClient>> sessions;
  for (const char* id : {"observer-a", "observer-b", "observer-c"}) {
    sessions.push_back(connect_account(data_dir_, port_, "observer", id));
    ASSERT_TRUE(sessions.back()) << id << "\n" << broker_log();
    sessions.back()->subscribe("hepek/hello/state");
  }
  // A fourth session of the same account, by a client that is not ours, beside the three.
  const auto sub =
      command_line_client("mosquitto_sub", "observer", password("observer"),
                          {"-i", "observer-sub", "-t", "hepek/hello/state", "-C", "3", "-W", "20"});
  EXPECT_EQ(sub.exit_code, 0) << sub.out << sub.err;
  EXPECT_EQ(std::count(sub.out.begin(), sub.out.end(), '\n'), 3) << sub.out;
  // After the last session connected, every one still receives: none was knocked off by another.
  for (auto& session : sessions) session->clear();
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    EXPECT_TRUE(sessions[i]->wait_for("hepek/hello/state", {}, 10000)) << "session " << i;
    EXPECT_TRUE(sessions[i]->connected()) << "session " << i;
    EXPECT_EQ(sessions[i]->disconnects(), 0) << "session " << i;
  }
  expect_no_takeover();
}

TEST_F(ClientIdTest, AWrongPasswordIsRefusedWithAnAcceptableClientId) {
  MqttClient wrong(port_, "observer", "not-the-password", "observer-wrong");
  EXPECT_FALSE(wrong.connected());
  EXPECT_GT(wrong.connect_result(), 0);
  // The password file refused it, not the client-id plugin (which deferred).
  EXPECT_EQ(broker_log().find("refused client id \"observer-wrong\""), std::string::npos) << broker_log();
  MqttClient unknown(port_, "intruder", "guess", "intruder-1");
  EXPECT_FALSE(unknown.connected());
  const auto sub = command_line_client("mosquitto_sub", "admin", "not-the-password",
                                       {"-i", "admin-sub", "-t", "hepek/#", "-C", "1", "-W", "10"});
  EXPECT_NE(sub.exit_code, 0) << sub.out << sub.err;
  EXPECT_NE(sub.err.find("not authorised"), std::string::npos) << sub.err;
  // The right password with the same ids connects.
  EXPECT_TRUE(connect_account(data_dir_, port_, "observer", "observer-wrong"));
}

TEST_F(ClientIdTest, AdminCannotUseAnotherAccountsPrefix) {
  for (const char* id : {"observer-x", "hub-x", "plugin-hello-x", "administrator"}) {
    MqttClient admin(port_, "admin", password("admin"), id);
    EXPECT_EQ(admin.connect_result(), kNotAuthorised) << id;
  }
  EXPECT_TRUE(connect_account(data_dir_, port_, "admin", "admin-x"));
  expect_no_takeover();
}

TEST_F(ClientIdTest, TheCommandLineClientsAreHandledTheSame) {
  // mosquitto_pub as admin with the hub's client id: refused, and the bridge stays up.
  const auto pub = command_line_client("mosquitto_pub", "admin", password("admin"),
                                       {"-i", "hub-bridge-test", "-t", "hepek/x", "-m", "1"});
  EXPECT_NE(pub.exit_code, 0) << pub.out << pub.err;
  EXPECT_NE(pub.err.find("not authorised"), std::string::npos) << pub.err;
  const auto stolen =
      command_line_client("mosquitto_sub", "observer", password("observer"),
                          {"-i", "plugin-hello", "-t", "hepek/bridge/state", "-C", "1", "-W", "10"});
  EXPECT_NE(stolen.exit_code, 0) << stolen.out << stolen.err;
  EXPECT_NE(stolen.err.find("not authorised"), std::string::npos) << stolen.err;
  // Without -i, mosquitto_sub lets the broker pick an id, which is under no account: refused. With the account's
  // prefix (-I appends the process id) it works; `hepek bus accounts` prints that prefix.
  const auto anonymous_id = command_line_client("mosquitto_sub", "observer", password("observer"),
                                                {"-t", "hepek/bridge/state", "-C", "1", "-W", "10"});
  EXPECT_NE(anonymous_id.exit_code, 0) << anonymous_id.out << anonymous_id.err;
  const auto listed =
      run_hepek({"--config", temp_.file("hepek.toml"), "--data-dir", data_dir_, "bus", "accounts"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto prefix = nlohmann::json::parse(listed.out)["observer"]["client_id_prefix"].get<std::string>();
  EXPECT_EQ(prefix, "observer-");
  const auto prefixed =
      command_line_client("mosquitto_sub", "observer", password("observer"),
                          {"-I", prefix, "-t", "hepek/bridge/state", "-C", "1", "-W", "10"});
  EXPECT_EQ(prefixed.exit_code, 0) << prefixed.out << prefixed.err;
  EXPECT_EQ(prefixed.out, "online\n");
  auto health = health_seen_by_watcher();
  EXPECT_EQ(health["bus_connected"], true) << health;
  expect_no_takeover();
}

// The control for the tests above: an account may take over its OWN sessions (MQTT allows it and so does the
// rule), and then every sign takeover_signs() looks for is there, and a taken session counts a disconnect. So the
// tests above fail when a refused id gets through, not only when the plugin's CONNACK changes.
TEST_F(ClientIdTest, ATakeoverByTheOwningAccountLeavesTheSignsTheOtherTestsLookFor) {
  {
    MqttClient hub_again(port_, "hub", password("hub"), "hub-bridge-test");
    MqttClient plugin_again(port_, "plugin-hello", password("plugin-hello"), "plugin-hello");
    EXPECT_TRUE(watcher_->wait_for("hepek/bridge/state", offline, 10000)) << hub_->log();
    EXPECT_TRUE(watcher_->wait_for("hepek/hello/availability", offline, 10000)) << hub_->log();
    EXPECT_TRUE(eventually([&] { return hub_logged("connection lost"); }, 10000)) << hub_->log();
  }
  // The hub gets its sessions back once the other connections are gone (its reconnect delay is 1 s at first).
  for (const char* topic : {"hepek/bridge/state", "hepek/hello/availability"})
    EXPECT_TRUE(eventually([&] { return back_online(topic); }, 20000)) << topic << "\n" << hub_->log();
  auto health = health_seen_by_watcher();
  EXPECT_EQ(health["bus_connected"], true) << health << hub_->log();
  EXPECT_EQ(health["plugins"]["hello"]["bus_connected"], true) << health;
  const auto signs = takeover_signs();
  for (const char* sign :
       {"hepek/bridge/state: offline", "hepek/hello/availability: offline", "the hub's log: connection lost"})
    EXPECT_NE(std::find(signs.begin(), signs.end(), sign), signs.end()) << sign;
  // A session of the watcher's kind, taken over within its own account, counts the disconnect.
  auto victim = connect_account(data_dir_, port_, "observer", "observer-victim");
  ASSERT_TRUE(victim);
  MqttClient victim_again(port_, "observer", password("observer"), "observer-victim");
  EXPECT_TRUE(victim->wait_for_disconnects(1, 10000));
  ASSERT_TRUE(hub_->running()) << hub_->log();
}

// The broker does not run without the plugin: a hub installed without lib/hepek/broker/ refuses to start.
TEST(ClientIdPlugin, AHubWithoutTheBrokerPluginRefusesToStart) {
  HEPEK_REQUIRE_HUB();
  TempDir prefix;
  std::filesystem::create_directories(prefix.file("bin"));
  std::filesystem::copy_file(hepek_binary(), prefix.file("bin/hepek"));
  std::filesystem::create_directories(prefix.file("lib/hepek"));
  std::filesystem::create_directory_symlink(plugin_dir(), prefix.file("lib/hepek/plugins"));
  const std::string config = write_config(prefix.path(), free_port(), "");
  const auto run = run_command({prefix.file("bin/hepek"), "--config", config, "--data-dir",
                                prefix.file("data"), "run", "--for", "5s"});
  EXPECT_NE(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE((run.out + run.err).find("client-id plugin " + prefix.file("lib/hepek/broker/")),
            std::string::npos)
      << run.out << run.err;
  EXPECT_NE((run.out + run.err).find("is missing"), std::string::npos) << run.out << run.err;
}

}  // namespace
