// ABI compatibility, as a user meets it: a plugin library built against the frozen ABI 1.0 header
// (tests/fixtures/abi_1_0.h) is loaded by the real hub binary next to current plugins, starts, runs its timer and
// publishes, and sees a host API table whose struct_size it can check before calling the functions appended
// since the first 1.0 table.
#include <gtest/gtest.h>

#include <cstddef>

#include <hepek/abi.h>

#include "test_support.hpp"

using namespace hepek::testing;

namespace {

TEST(AbiCompatibility, APluginBuiltForAbi10LoadsRunsAndCanCheckTheHostApiSize) {
  TempDir temp;
  const int port = free_port();
  const std::string data_dir = temp.path() + "/data";
  const std::string config = write_config(temp.path(), port, R"(
[[plugin]]
id = "old"
type = "abi-1-0"
label = "from 2025"

[[plugin]]
id = "probe"
type = "probe"
label = "beta"
)",
                                          fixture_plugin_dir());
  HubProcess hub(config, data_dir);
  auto observer = connect_account(data_dir, port, "observer", "observer-abi");
  ASSERT_TRUE(observer) << hub.log();
  observer->subscribe("hepek/#");

  // Started and running: its 100 ms timer fired at least twice, and its publish passed the ACL.
  auto state = observer->wait_for(
      "hepek/old/state", [](const Received& m) { return nlohmann::json::parse(m.payload)["ticks"] >= 2; },
      10000);
  ASSERT_TRUE(state) << hub.log();
  const auto reported = nlohmann::json::parse(state->payload);
  EXPECT_EQ(reported["abi"], "1.0");
  EXPECT_EQ(reported["label"], "from 2025");
  // The host hands a 1.0 plugin its current table; its struct_size is what the plugin checks against.
  EXPECT_EQ(reported["host_struct_size"].get<uint32_t>(), sizeof(hepek_host_api));
  EXPECT_EQ(reported["host_abi_major"], HEPEK_ABI_MAJOR);
  EXPECT_EQ(reported["host_abi_minor"], HEPEK_ABI_MINOR);
  EXPECT_GE(reported["host_struct_size"].get<uint32_t>(), offsetof(hepek_host_api, fail) + sizeof(void*));
  EXPECT_EQ(reported["has_random_seed"], true);
  EXPECT_EQ(reported["has_hub_settings"], true);
  EXPECT_EQ(reported["has_fail"], true);
  EXPECT_FALSE(reported["timezone"].get<std::string>().empty());
  EXPECT_EQ(reported["hub_settings"]["timezone"], reported["timezone"]);

  // The hub lists it as running, next to a plugin built for the current minor.
  auto info = observer->wait_for("hepek/bridge/info", [](const Received& m) {
    const auto json = nlohmann::json::parse(m.payload);
    int running = 0;
    for (const auto& plugin : json["plugins"]) running += plugin["state"] == "running" ? 1 : 0;
    return running >= 2;
  });
  ASSERT_TRUE(info) << hub.log();
  bool listed = false;
  const auto bridge_info = nlohmann::json::parse(info->payload);
  for (const auto& plugin : bridge_info["plugins"])
    if (plugin["id"] == "old") {
      listed = true;
      EXPECT_EQ(plugin["plugin"], "org.hepek.fixture.abi10");
      EXPECT_EQ(plugin["state"], "running");
    }
  EXPECT_TRUE(listed) << info->payload;
}

}  // namespace
