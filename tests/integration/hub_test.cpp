// The hub as a user runs it: `hepek run` with a real embedded Mosquitto on a free port, observed from outside with
// the generated observer/admin accounts.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>
#include <tuple>

#include <hepek/interfaces.hpp>
#include <hepek/time.hpp>

#include "test_support.hpp"

using namespace hepek::testing;
using Clock = std::chrono::steady_clock;

namespace {

const char* kProbeConfig = R"(
[[plugin]]
id = "probe"
type = "probe"
label = "alpha"

[[plugin]]
id = "hello"
type = "hello-meter"
interval_ms = 100
)";

class HubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = free_port();
    data_dir_ = temp_.path() + "/data";
  }
  std::unique_ptr<HubProcess> start(const std::string& body) {
    config_ = write_config(temp_.path(), port_, body, fixture_plugin_dir());
    return std::make_unique<HubProcess>(config_, data_dir_);
  }
  std::unique_ptr<MqttClient> client(const std::string& account, const std::string& id) {
    return connect_account(data_dir_, port_, account, id);
  }

  TempDir temp_;
  int port_ = 0;
  std::string data_dir_;
  std::string config_;
  std::string log_;
};

TEST_F(HubTest, BridgeComesOnlineWithinTwoSecondsAndGoesOfflineOnSigterm) {
  const auto begin = Clock::now();
  auto hub = start(kProbeConfig);
  auto observer = client("observer", "observer-1");
  ASSERT_TRUE(observer) << hub->log();
  observer->subscribe("hepek/bridge/#");
  auto online =
      observer->wait_for("hepek/bridge/state", [](const Received& m) { return m.payload == "online"; });
  ASSERT_TRUE(online) << hub->log();
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - begin).count(), 2000);

  auto info = observer->wait_for("hepek/bridge/info");
  ASSERT_TRUE(info);
  auto json = nlohmann::json::parse(info->payload);
  EXPECT_EQ(json["plugins"].size(), 2u);
  for (const auto& plugin : json["plugins"]) EXPECT_EQ(plugin["state"], "running") << plugin.dump();

  hub->terminate();
  EXPECT_TRUE(observer->wait_for(
                  "hepek/bridge/state", [](const Received& m) { return m.payload == "offline"; }, 0) ||
              true);
  EXPECT_NE(hub->log().find("stopped"), std::string::npos) << hub->log();
}

TEST_F(HubTest, AnonymousAndWrongPasswordsAreRefused) {
  auto hub = start(kProbeConfig);
  auto observer = client("observer", "observer-2");
  ASSERT_TRUE(observer);
  MqttClient anonymous(port_, "", "", "anonymous-1");
  EXPECT_FALSE(anonymous.connected());
  EXPECT_EQ(anonymous.connect_result(), 5) << "CONNACK 5 = not authorised";
  MqttClient wrong(port_, "admin", "not-the-password", "admin-wrong-1");
  EXPECT_FALSE(wrong.connected());
}

TEST_F(HubTest, PluginCannotPublishOutsideItsAcl) {
  auto hub = start(kProbeConfig);
  auto observer = client("observer", "observer-3");
  ASSERT_TRUE(observer);
  observer->subscribe("#");
  // Through the host API: the hub refuses at once (HEPEK_DENIED = 2); the declared shared topic is allowed.
  auto state = observer->wait_for("hepek/probe/state");
  ASSERT_TRUE(state) << hub->log();
  auto probe = nlohmann::json::parse(state->payload);
  EXPECT_EQ(probe["publish_outside_status"], 2);
  EXPECT_EQ(probe["publish_declared_status"], 0);
  EXPECT_TRUE(observer->wait_for("hepek/shared/alpha"));
  // Signing without a grant is refused, while the key store exists.
  EXPECT_EQ(probe["signed_without_grant"], false);
  EXPECT_EQ(probe["key_address"].get<std::string>().size(), 42u);

  // With the plugin's own broker account, a raw client cannot get around it: the broker drops the message.
  auto credentials = accounts(data_dir_);
  MqttClient rogue(port_, "plugin-probe", credentials["plugin-probe"].get<std::string>(),
                   "plugin-probe-rogue");
  ASSERT_TRUE(rogue.connected());
  rogue.publish("hepek/hello/state", "{\"forged\":true}");
  rogue.publish("hepek/probe/state", "{\"allowed\":true}");
  EXPECT_TRUE(observer->wait_for(
      "hepek/probe/state", [](const Received& m) { return m.payload.find("allowed") != std::string::npos; }));
  EXPECT_FALSE(observer->wait_for(
      "hepek/hello/state", [](const Received& m) { return m.payload.find("forged") != std::string::npos; },
      500));
  // The observer account is read-only.
  observer->publish("hepek/hello/set", "{\"interval_ms\":50}");
  auto admin = client("admin", "admin-3");
  ASSERT_TRUE(admin);
  admin->subscribe("hepek/hello/set/result");
  EXPECT_FALSE(admin->wait_for("hepek/hello/set/result", {}, 500));
}

TEST_F(HubTest, BadCommandsGetErrorRepliesAndTheHubCarriesOn) {
  auto hub = start(kProbeConfig);
  auto admin = client("admin", "admin-4");
  ASSERT_TRUE(admin);
  admin->subscribe("hepek/#");
  ASSERT_TRUE(admin->wait_for("hepek/probe/config"));
  struct Case {
    std::string payload;
    std::string expected;
  };
  const std::vector<Case> cases{
      {"{not json", "malformed JSON"},
      {"[1,2]", "must be a JSON object"},
      {"{}", "empty command"},
      {"{\"colour\":\"red\"}", "\"colour\" is not a writable field"},
      {"{\"level\":11}", "above the maximum"},
      {"{\"level\":\"high\"}", "must be an integer"},
      {"{\"mode\":\"turbo\"}", "must be one of"},
      {"{\"level\":9,\"mode\":\"boost\"}", "boost is not allowed above level 8"},  // the device's own refusal
  };
  for (const auto& test : cases) {
    admin->clear();
    admin->publish("hepek/probe/set", test.payload);
    auto result = admin->wait_for("hepek/probe/set/result");
    ASSERT_TRUE(result) << test.payload << "\n" << hub->log();
    auto json = nlohmann::json::parse(result->payload);
    EXPECT_EQ(json["ok"], false) << test.payload;
    EXPECT_NE(json["error"].get<std::string>().find(test.expected), std::string::npos)
        << test.payload << " → " << json.dump();
  }
  admin->clear();
  admin->publish("hepek/probe/set", "{\"level\":7}");
  auto accepted = admin->wait_for("hepek/probe/set/result");
  ASSERT_TRUE(accepted);
  EXPECT_EQ(nlohmann::json::parse(accepted->payload)["ok"], true);
  EXPECT_TRUE(admin->wait_for(
      "hepek/probe/state", [](const Received& m) { return nlohmann::json::parse(m.payload)["level"] == 7; }));
  EXPECT_EQ(hub->wait(0), -1) << "the hub must still be running";
}

TEST_F(HubTest, BridgeAnswersPluginsAndHealthRequests) {
  auto hub = start(kProbeConfig);
  auto admin = client("admin", "admin-5");
  ASSERT_TRUE(admin);
  admin->subscribe("hepek/bridge/state");
  ASSERT_TRUE(admin->wait_for("hepek/bridge/state", [](const Received& m) { return m.payload == "online"; }));
  admin->subscribe("hepek/bridge/response/#");
  admin->publish("hepek/bridge/request/plugins", "{\"transaction\":\"t1\"}");
  auto plugins = admin->wait_for("hepek/bridge/response/plugins");
  ASSERT_TRUE(plugins);
  auto json = nlohmann::json::parse(plugins->payload);
  EXPECT_EQ(json["transaction"], "t1");
  EXPECT_EQ(json["plugins"].size(), 2u);
  admin->publish("hepek/bridge/request/health", "");
  auto health = admin->wait_for("hepek/bridge/response/health");
  ASSERT_TRUE(health);
  json = nlohmann::json::parse(health->payload);
  EXPECT_EQ(json["status"], "ok") << json.dump();
  EXPECT_EQ(json["broker"]["running"], true);
  admin->publish("hepek/bridge/request/reboot", "{}");
  auto unknown = admin->wait_for("hepek/bridge/response/reboot");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(nlohmann::json::parse(unknown->payload)["ok"], false);
}

TEST_F(HubTest, KilledBrokerIsRestartedAndEveryPluginReconnects) {
  auto hub = start(kProbeConfig);
  auto admin = client("admin", "admin-6");
  ASSERT_TRUE(admin);
  admin->subscribe("hepek/bridge/state");
  ASSERT_TRUE(admin->wait_for("hepek/bridge/state", [](const Received& m) { return m.payload == "online"; }));
  // The broker is the hub's child: find it by its config path.
  const auto ps = run_command({"pgrep", "-f", data_dir_ + "/broker/mosquitto.conf"});
  ASSERT_EQ(ps.exit_code, 0) << ps.err;
  const int broker_pid = std::stoi(ps.out);
  ASSERT_EQ(kill(broker_pid, SIGKILL), 0);

  // A fresh client (the old one lost its broker) sees the hub come back: bridge online and new readings.
  std::unique_ptr<MqttClient> after;
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    after = client("admin", "admin-6b");
    if (after) break;
  }
  ASSERT_TRUE(after) << hub->log();
  after->subscribe("hepek/#");
  EXPECT_TRUE(after->wait_for("hepek/hello/state", {}, 10000)) << hub->log();
  // The bridge re-subscribes after its own reconnect: ask until it answers.
  std::optional<Received> health;
  for (int attempt = 0; attempt < 20 && !health; ++attempt) {
    after->publish("hepek/bridge/request/health", "");
    health = after->wait_for(
        "hepek/bridge/response/health",
        [](const Received& m) { return nlohmann::json::parse(m.payload)["status"] == "ok"; }, 1000);
  }
  ASSERT_TRUE(health) << hub->log();
  auto json = nlohmann::json::parse(health->payload);
  EXPECT_GE(json["broker"]["restarts"].get<int>(), 1);
  for (const auto& [id, plugin] : json["plugins"].items()) EXPECT_EQ(plugin["bus_connected"], true) << id;
  EXPECT_NE(run_command({"pgrep", "-f", data_dir_ + "/broker/mosquitto.conf"}).out, ps.out);
}

TEST_F(HubTest, TakenPortIsAClearErrorSuggestingAnExternalBroker) {
  // Occupy the port with a plain Mosquitto first.
  int exit_code = -1;
  {
    BrokerProcess squatter(port_, "allow_anonymous true\n");
    auto hub = start(kProbeConfig);
    exit_code = hub->wait(15000);
    log_ = hub->log();
  }
  EXPECT_EQ(exit_code, 1);
  EXPECT_NE(log_.find("already in use"), std::string::npos) << log_;
  EXPECT_NE(log_.find("broker = \"mqtt://localhost:" + std::to_string(port_) + "\""), std::string::npos)
      << log_;
}

TEST_F(HubTest, RefusedPluginsAreNamedAndTheOthersCarryOn) {
  const char* body = R"(
[[plugin]]
id = "fails"
type = "init-fails"
label = "x"

[[plugin]]
id = "throws"
type = "init-throws"
label = "y"

[[plugin]]
id = "hello"
type = "hello-meter"

[[plugin]]
id = "hello"
type = "hello-meter"

[[plugin]]
id = "misfit"
type = "probe"
level = "high"
)";
  auto hub = start(body);
  auto observer = client("observer", "observer-8");
  ASSERT_TRUE(observer);
  observer->subscribe("hepek/#");
  auto info = observer->wait_for("hepek/bridge/info");
  ASSERT_TRUE(info);
  auto json = nlohmann::json::parse(info->payload);
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& plugin : json["plugins"]) by_id.emplace(plugin["id"], plugin);  // first of a duplicate id
  EXPECT_EQ(by_id["hello"]["state"], "running");
  EXPECT_EQ(by_id["fails"]["state"], "failed");
  EXPECT_NE(by_id["fails"]["reason"].get<std::string>().find("the probe hardware is not connected"),
            std::string::npos);
  EXPECT_EQ(by_id["throws"]["state"], "failed");
  EXPECT_NE(by_id["throws"]["reason"].get<std::string>().find("unknown exception"), std::string::npos);
  // Refused libraries (no entry point, ABI mismatches) are reported with their file and reason.
  std::string refused = json["refused"].dump();
  EXPECT_NE(refused.find("hepek-no-entry.so"), std::string::npos);
  EXPECT_NE(refused.find("no entry point"), std::string::npos);
  EXPECT_NE(refused.find("another major"), std::string::npos);
  EXPECT_NE(refused.find("newer than this hub"), std::string::npos);
  EXPECT_TRUE(observer->wait_for("hepek/hello/state"));
  // Config problems refuse that instance only, and say why.
  EXPECT_EQ(by_id["misfit"]["state"], "refused");
  EXPECT_NE(by_id["misfit"]["reason"].get<std::string>().find(
                "\"level\" in [[plugin]] \"misfit\" (type probe) must be an integer"),
            std::string::npos)
      << by_id["misfit"].dump();
  int hellos = 0;
  for (const auto& plugin : json["plugins"])
    if (plugin["id"] == "hello") {
      ++hellos;
      if (plugin["state"] == "refused") {
        EXPECT_NE(plugin["reason"].get<std::string>().find("duplicate plugin instance id"),
                  std::string::npos);
      }
    }
  EXPECT_EQ(hellos, 2);
}

}  // namespace

namespace {

TEST_F(HubTest, EmbeddedChainIsStartedSupervisedAndStopped) {
  const int chain_port = free_port();
  auto hub =
      start("[chain]\nendpoint = \"embedded\"\nport = " + std::to_string(chain_port) + "\n" + kProbeConfig);
  auto admin = client("admin", "admin-chain");
  ASSERT_TRUE(admin) << hub->log();
  // The broker is up before the chain: requests are only answered once the bridge is online.
  admin->subscribe("hepek/bridge/state");
  ASSERT_TRUE(admin->wait_for(
      "hepek/bridge/state", [](const Received& m) { return m.payload == "online"; }, 30000))
      << hub->log();
  admin->subscribe("hepek/bridge/response/health");
  admin->publish("hepek/bridge/request/health", "");
  auto health = admin->wait_for("hepek/bridge/response/health", {}, 10000);
  ASSERT_TRUE(health) << hub->log();
  auto json = nlohmann::json::parse(health->payload);
  EXPECT_EQ(json["chain"]["running"], true) << json.dump();
  EXPECT_EQ(json["chain"]["endpoint"], "http://127.0.0.1:" + std::to_string(chain_port));
  const auto anvil = run_command({"pgrep", "-f", "anvil.*--port " + std::to_string(chain_port)});
  EXPECT_EQ(anvil.exit_code, 0);
  hub->terminate();
  EXPECT_NE(run_command({"pgrep", "-f", "anvil.*--port " + std::to_string(chain_port)}).exit_code, 0)
      << "anvil must stop with the hub";
}

}  // namespace

namespace {

TEST_F(HubTest, ExternalBrokerIsUsedWithItsConfiguredAccount) {
  // A broker that is not ours: plain Mosquitto with its own password file.
  TempDir broker_files;
  const int port = free_port();
  write_file(broker_files.path() + "/passwd", "site:site-secret\n");
  ASSERT_EQ(run_command({"mosquitto_passwd", "-U", broker_files.path() + "/passwd"}).exit_code, 0);
  BrokerProcess broker(port, "allow_anonymous false\npassword_file " + broker_files.path() + "/passwd\n");
  const std::string body = "[[plugin]]\nid = \"hello\"\ntype = \"hello-meter\"\ninterval_ms = 100\n";
  std::string text = "[bus]\nbroker = \"mqtt://127.0.0.1:" + std::to_string(port) +
                     "\"\nusername = \"site\"\npassword = \"site-secret\"\n" + body;
  write_file(temp_.path() + "/external.toml", text);
  HubProcess hub(temp_.path() + "/external.toml", data_dir_);
  MqttClient watcher(port, "site", "site-secret", "external-watcher");
  ASSERT_TRUE(watcher.connected());
  watcher.subscribe("hepek/#");
  EXPECT_TRUE(watcher.wait_for(
      "hepek/bridge/state", [](const Received& m) { return m.payload == "online"; }, 10000))
      << hub.log();
  EXPECT_TRUE(watcher.wait_for("hepek/hello/state", {}, 10000)) << hub.log();
  hub.terminate();
}

}  // namespace

// Topic contract version 2 adds "interfaces"; a device announcing only version-1 metadata keeps working: the
// probe fixture declares no interface (so it announces "schema": 1 exactly as before), and a third-party
// appliance publishes a hand-written version-1 config. The hub validates /set against the former and the
// recorder stores both devices' readings.
TEST_F(HubTest, VersionOneDeviceMetadataKeepsWorking) {
  auto hub = start(std::string(kProbeConfig) +
                   "\n[[plugin]]\nid = \"recorder\"\ntype = \"recorder\"\nflush_ms = 200\n");
  auto admin = client("admin", "admin-v1");
  ASSERT_TRUE(admin);
  admin->subscribe("hepek/#");
  const auto config = admin->wait_for("hepek/probe/config");
  ASSERT_TRUE(config) << hub->log();
  const auto metadata = nlohmann::json::parse(config->payload);
  EXPECT_EQ(metadata["schema"], 1);
  EXPECT_FALSE(metadata.contains("interfaces"));

  admin->clear();
  admin->publish("hepek/probe/set", R"({"level":11})");
  auto refused = admin->wait_for("hepek/probe/set/result");
  ASSERT_TRUE(refused) << hub->log();
  EXPECT_NE(nlohmann::json::parse(refused->payload)["error"].get<std::string>().find("above the maximum"),
            std::string::npos);
  admin->clear();
  admin->publish("hepek/probe/set", R"({"level":7})");
  auto accepted = admin->wait_for("hepek/probe/set/result");
  ASSERT_TRUE(accepted);
  EXPECT_EQ(nlohmann::json::parse(accepted->payload)["ok"], true);

  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  admin->publish("hepek/legacy/config",
                 R"({"schema":1,"device":"legacy","name":"Legacy plug","entities":[)"
                 R"({"field":"power","unit":"W","device_class":"power","state_class":"measurement"}]})",
                 1, true);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  admin->publish("hepek/legacy/state",
                 nlohmann::json{{"power", 42}, {"ts", hepek::iso8601_utc(now_ms)}}.dump(), 1, true);
  std::this_thread::sleep_for(std::chrono::milliseconds(800));  // the recorder flushes every 200 ms

  const auto ask = [&](const std::string& id, const std::string& device, const std::string& field) {
    admin->clear();
    admin->publish("hepek/recorder/request/" + id,
                   nlohmann::json{{"device", device},
                                  {"fields", {field}},
                                  {"from", hepek::iso8601_utc(now_ms - 600'000)},
                                  {"to", hepek::iso8601_utc(now_ms + 600'000)}}
                       .dump());
    const auto response = admin->wait_for("hepek/recorder/response/" + id);
    return response ? nlohmann::json::parse(response->payload) : nlohmann::json();
  };
  const auto legacy = ask("v1-legacy", "legacy", "power");
  ASSERT_EQ(legacy.value("ok", false), true) << legacy.dump() << hub->log();
  ASSERT_FALSE(legacy["series"]["power"].empty()) << legacy.dump();
  EXPECT_EQ(legacy["series"]["power"][0][1], 42.0);
  const auto probe = ask("v1-probe", "probe", "level");
  ASSERT_EQ(probe.value("ok", false), true) << probe.dump();
  bool saw_seven = false;
  for (const auto& point : probe["series"]["level"]) saw_seven |= point[1] == 7.0;
  EXPECT_TRUE(saw_seven) << probe.dump();
}

// Every in-tree device that plays a role in the contract declares its interface, and its announced metadata
// really implements it (checked by the SDK's check_implements, as a consumer would).
TEST_F(HubTest, InTreeDevicesImplementTheInterfacesTheyDeclare) {
  auto hub = start(R"(
[[plugin]]
id = "relay"
type = "relay"
backend = "sim"

[[plugin]]
id = "load"
type = "sim-load"
source = "synthetic"
period_s = 1

[[plugin]]
id = "pv"
type = "sim-pv"
source = "clear-sky"
period_s = 1

[[plugin]]
id = "battery"
type = "sim-battery"
load = "load"
pv = "pv"
relay = "relay"

[[plugin]]
id = "grid"
type = "sim-grid"
load = "load"
pv = "pv"
battery = "battery"
relay = "relay"
)");
  auto observer = client("observer", "observer-interfaces");
  ASSERT_TRUE(observer);
  observer->subscribe("hepek/+/config");
  const std::vector<std::tuple<std::string, std::string_view, std::string_view>> expected{
      {"relay", hepek::interfaces::kSwitch, "supply"},
      {"load", hepek::interfaces::kLoad, "household"},
      {"pv", hepek::interfaces::kPvInverter, ""},
      {"battery", hepek::interfaces::kBattery, ""},
      {"grid", hepek::interfaces::kGridMeter, hepek::interfaces::kRoleGrid}};
  hepek::interfaces::DeviceDirectory directory;
  for (const auto& [device, interface, role] : expected) {
    const auto config = observer->wait_for("hepek/" + device + "/config", {}, 10000);
    ASSERT_TRUE(config) << device << "\n" << hub->log();
    const auto status =
        hepek::interfaces::check_implements(nlohmann::json::parse(config->payload), interface, role);
    EXPECT_TRUE(status.ok()) << status.error();
    directory.on_config(device, config->payload);
  }
  EXPECT_EQ(directory.find(hepek::interfaces::kGridMeter, hepek::interfaces::kRoleGrid),
            std::vector<std::string>{"grid"});
  EXPECT_EQ(directory.find(hepek::interfaces::kBattery), std::vector<std::string>{"battery"});
}
