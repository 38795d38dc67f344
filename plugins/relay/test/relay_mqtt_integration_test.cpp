// The relay's MQTT backend against the real hub and its embedded Mosquitto: a command on hepek/<relay>/set
// drives a Tasmota-style plug (cmnd/<plug>/POWER OFF), an invalid command is refused, the plug's own state
// report (stat/<plug>/POWER ON) is followed, and the commanded state is remembered across a restart of the
// hub.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace {

namespace t = hepek::testing;
using t::Received;

bool relay_state_is(const std::string& payload, const char* state) {
  const auto json = nlohmann::json::parse(payload, nullptr, false);
  return json.is_object() && json.value("state", "") == state;
}

// Waits for a message on `topic` whose payload satisfies `accept`.
template <typename Predicate>
bool wait_for(t::MqttClient& client, const std::string& topic, Predicate accept) {
  return client
      .wait_for(
          topic, [&](const Received& message) { return accept(message.payload); }, 10000)
      .has_value();
}

}  // namespace

TEST(RelayMqtt, DrivesAPlugFollowsItAndRemembersItsState) {
  HEPEK_REQUIRE_HUB();
  const t::TempDir dir;
  const int port = t::free_port();
  const std::string data_dir = dir.file("data");
  const std::string config =
      t::write_config(dir.path(), port,
                      "[[plugin]]\nid = \"supply\"\ntype = \"relay\"\nbackend = \"mqtt\"\n"
                      "command_topic = \"cmnd/testplug/POWER\"\n"
                      "state_topic = \"stat/testplug/POWER\"\n");
  {
    t::HubProcess hub(config, data_dir, {"--for", "60s"});
    auto client = t::connect_account(data_dir, port, "admin", "admin-relay-test-1", 20000);
    ASSERT_TRUE(client) << "the hub's broker did not come up on port " << port << "\n" << hub.log();
    client->subscribe("hepek/supply/state");
    client->subscribe("cmnd/testplug/POWER");
    ASSERT_TRUE(wait_for(*client, "hepek/supply/state",
                         [](const std::string& p) { return relay_state_is(p, "on"); }));

    client->publish("hepek/supply/set", R"({"state":"off"})");
    EXPECT_TRUE(wait_for(*client, "cmnd/testplug/POWER", [](const std::string& p) { return p == "OFF"; }));
    EXPECT_TRUE(wait_for(*client, "hepek/supply/state",
                         [](const std::string& p) { return relay_state_is(p, "off"); }));

    client->publish("hepek/supply/set", R"({"state":"maybe"})");  // rejected by the declared enum schema
    // Someone presses the plug's button: the relay follows the plug's report (the hub's retained state is now
    // "on", while the last commanded state stays "off").
    client->clear();
    client->publish("stat/testplug/POWER", "ON");
    EXPECT_TRUE(wait_for(*client, "hepek/supply/state",
                         [](const std::string& p) { return relay_state_is(p, "on"); }));
  }
  {
    // After a restart the last commanded state (off) is restored, whatever was retained before.
    t::HubProcess hub(config, data_dir, {"--for", "60s"});
    auto client = t::connect_account(data_dir, port, "admin", "admin-relay-test-2", 20000);
    ASSERT_TRUE(client) << hub.log();
    client->subscribe("hepek/supply/state");
    EXPECT_TRUE(wait_for(*client, "hepek/supply/state",
                         [](const std::string& p) { return relay_state_is(p, "off"); }));
  }
}
