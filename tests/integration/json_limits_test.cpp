// Issue 9, items 1 and 2 against the real hub and its real embedded Mosquitto: deeply nested or huge JSON on the
// bus (retained /state a plugin's account publishes, /set from admin, bridge requests from observer) and in CLI
// files is refused with an error naming the limit; the hub keeps running, also across a restart on the same data
// dir with the poison still retained, and its RSS stays bounded.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "test_support.hpp"

using namespace hepek::testing;

namespace {

const char* kConfig = R"(
[[plugin]]
id = "probe"
type = "probe"
label = "alpha"

[[plugin]]
id = "recorder"
type = "recorder"
flush_ms = 200
)";

// `levels` nested arrays: "[[[...]]]", 2 bytes a level.
std::string nested(std::size_t levels) {
  return std::string(levels, '[') + std::string(levels, ']');
}

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

nlohmann::json health(MqttClient& client) {
  const auto reply = client.request("hepek/bridge/request/health", "{}", "hepek/bridge/response/health");
  return reply ? nlohmann::json::parse(reply->payload) : nlohmann::json();
}

class JsonLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = free_port();
    data_dir_ = temp_.path() + "/data";
    config_ = write_config(temp_.path(), port_, kConfig, fixture_plugin_dir());
  }
  TempDir temp_;
  int port_ = 0;
  std::string data_dir_;
  std::string config_;
};

TEST_F(JsonLimitsTest, RetainedPoisonAndDeepRequestsAreRefusedAndTheHubSurvivesARestart) {
  HEPEK_REQUIRE_HUB();
  HEPEK_REQUIRE_PLUGIN("recorder");
  auto hub = std::make_unique<HubProcess>(config_, data_dir_);
  auto admin = connect_account(data_dir_, port_, "admin", "admin-test");
  ASSERT_TRUE(admin) << hub->log();
  admin->subscribe("hepek/#");
  ASSERT_TRUE(admin->wait_for("hepek/probe/config", {}, 10000)) << hub->log();
  ASSERT_TRUE(admin->wait_for("hepek/bridge/state", [](const Received& m) { return m.payload == "online"; }));
  const long rss_before = rss_kib(hub->pid());

  // The probe's own account publishes retained poison on its /state, which the recorder watches.
  const auto credentials = accounts(data_dir_);
  MqttClient probe_account(port_, "plugin-probe", credentials["plugin-probe"].get<std::string>(),
                           "plugin-probe-poisoner");
  ASSERT_TRUE(probe_account.connected());
  for (const std::size_t levels : {std::size_t{100000}, std::size_t{30000}}) {
    const std::string poison = nested(levels);
    probe_account.publish("hepek/probe/state", poison, 1, true);
    // The probe overwrites its own retained state when it starts again; a device that is gone does not.
    admin->publish("hepek/ghost/state", poison, 1, true);

    admin->clear();
    admin->publish("hepek/probe/set", poison, 1, true);
    const auto refused = admin->wait_for("hepek/probe/set/result", {}, 10000);
    ASSERT_TRUE(refused) << levels << " levels\n" << hub->log();
    const auto result = nlohmann::json::parse(refused->payload);
    EXPECT_EQ(result["ok"], false);
    EXPECT_NE(result["error"].get<std::string>().find("nesting deeper than 64 levels"), std::string::npos)
        << result;
    EXPECT_LT(refused->payload.size(), 512u);

    admin->clear();
    const auto bridge = admin->request("hepek/bridge/request/info", R"({"transaction":)" + poison + "}",
                                       "hepek/bridge/response/info");
    ASSERT_TRUE(bridge) << hub->log();
    const auto bridge_json = nlohmann::json::parse(bridge->payload);
    EXPECT_EQ(bridge_json["ok"], false);
    EXPECT_NE(bridge_json["error"].get<std::string>().find("nesting deeper than 64"), std::string::npos);
    EXPECT_FALSE(bridge_json.contains("transaction"));
  }
  // 64 levels are within the limit: the command gets as far as its validation (which wants an integer).
  admin->clear();
  const auto fine =
      admin->request("hepek/probe/set", R"({"level":)" + nested(63) + "}", "hepek/probe/set/result");
  ASSERT_TRUE(fine);
  EXPECT_NE(
      nlohmann::json::parse(fine->payload)["error"].get<std::string>().find("\"level\" must be an integer"),
      std::string::npos)
      << fine->payload;

  // Over the broker's 1 MiB message size limit: the broker drops it, so no plugin sees it and nobody answers.
  EXPECT_NE(read_file(data_dir_ + "/broker/mosquitto.conf").find("message_size_limit 1048576\n"),
            std::string::npos);
  admin->clear();
  admin->publish("hepek/probe/set", std::string(2 * 1024 * 1024, ' '));
  EXPECT_FALSE(admin->wait_for("hepek/probe/set/result", {}, 1000));

  const auto status = health(*admin);
  ASSERT_TRUE(status.is_object()) << hub->log();
  EXPECT_GE(status["plugins"]["recorder"]["rejected_messages"].get<int>(), 4) << status;
  EXPECT_GE(status["plugins"]["probe"]["rejected_messages"].get<int>(), 2) << status;
  ASSERT_TRUE(hub->running()) << hub->log();
  const long rss_after = rss_kib(hub->pid());
  std::printf("hub VmRSS: %ld KiB before, %ld KiB after the poison\n", rss_before, rss_after);
  EXPECT_LT(rss_after, rss_before + 64 * 1024);
  EXPECT_NE(hub->log().find("recorder: dropped a message on hepek/probe/state (200000 bytes"),
            std::string::npos)
      << hub->log();

  // Restart on the same data dir: the broker's persistence still holds the retained poison (state and /set).
  hub->terminate();
  admin.reset();
  hub = std::make_unique<HubProcess>(config_, data_dir_);
  admin = connect_account(data_dir_, port_, "admin", "admin-test-2");
  ASSERT_TRUE(admin) << hub->log();
  admin->subscribe("hepek/ghost/state");
  const auto retained = admin->wait_for("hepek/ghost/state", [](const Received& m) { return m.retained; });
  ASSERT_TRUE(retained) << "the poison should still be retained";
  EXPECT_GT(retained->payload.size(), 50000u);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  ASSERT_TRUE(hub->running()) << hub->log();
  const auto after_restart = health(*admin);
  ASSERT_TRUE(after_restart.is_object()) << hub->log();
  EXPECT_EQ(after_restart["plugins"]["recorder"]["state"], "running") << after_restart;
  EXPECT_GE(after_restart["plugins"]["recorder"]["rejected_messages"].get<int>(), 1) << after_restart;
  EXPECT_NE(hub->log().find("recorder: dropped a retained message on hepek/ghost/state"), std::string::npos)
      << hub->log();
  EXPECT_NE(hub->log().find("probe: dropped a retained message on hepek/probe/set"), std::string::npos)
      << hub->log();
  std::printf("hub VmRSS after the restart: %ld KiB\n", rss_kib(hub->pid()));
  admin->publish("hepek/probe/state", "", 1, true);  // clear the retained poison
  admin->publish("hepek/probe/set", "", 1, true);
  admin->publish("hepek/ghost/state", "", 1, true);
}

TEST(JsonLimitsCli, SignTxWithADeeplyNestedFileFailsWithAClearError) {
  HEPEK_REQUIRE_HUB();
  for (const std::size_t levels : {std::size_t{100000}, std::size_t{30000}}) {
    TempFile file("tx.json", R"({"type":0,"chainId":1,"data":)" + nested(levels) + "}");
    const auto result = run_hepek({"eth", "sign-tx", "--key",
                                   "0x4646464646464646464646464646464646464646464646464646464646464646",
                                   "--tx", "@" + file.path()});
    EXPECT_NE(result.exit_code, 139);
    EXPECT_NE(result.exit_code, 0);
    EXPECT_NE(result.err.find("nesting deeper than 64 levels"), std::string::npos) << result.err;
  }
}

}  // namespace
