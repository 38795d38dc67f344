// A unit test of hello-meter without a hub: the SDK's fake host (hepek/testing/fake_host.hpp) runs the
// plugin's timers on a manual clock, records what it publishes and validates /set commands as the hub would.
// The plugin source is compiled into this test, so its HEPEK_PLUGIN entry function is called directly.
#include <gtest/gtest.h>

#include <hepek/testing/fake_host.hpp>

extern "C" const hepek_plugin* hepek_plugin_entry(uint32_t abi_major, uint32_t abi_minor);

namespace {

using hepek::testing::FakeHost;
using hepek::testing::FakeInstance;
using hepek::testing::PluginUnderTest;

const PluginUnderTest& hello_meter() {
  static const PluginUnderTest plugin = PluginUnderTest::from_entry(&hepek_plugin_entry);
  return plugin;
}

TEST(HelloMeter, AnnouncesThenPublishesOnItsTimer) {
  FakeHost host("meter");
  FakeInstance meter(hello_meter(), host, {{"power_w", 360.0}});  // interval_ms: the schema's default, 1000
  meter.start();
  const auto metadata = host.device_metadata("meter");
  ASSERT_TRUE(metadata);
  EXPECT_EQ(metadata->at("name"), "Hello meter");

  host.advance(10'000);  // ten readings, one a second
  const auto states = host.states("meter");
  ASSERT_EQ(states.size(), 10u);
  const auto last = host.last_state("meter");
  EXPECT_EQ(last->at("power"), 360.0);
  EXPECT_DOUBLE_EQ(last->at("energy_import").get<double>(), 1.0);  // 360 W for 10 s = 1 Wh
}

TEST(HelloMeter, CommandsAreValidatedBeforeTheyReachThePlugin) {
  FakeHost host("meter");
  FakeInstance meter(hello_meter(), host);
  meter.start();
  EXPECT_EQ(host.command("meter", R"({"interval_ms":5})")["error"],
            "\"interval_ms\": 5 is below the minimum 10.0");
  EXPECT_EQ(host.command("meter", R"({"interval_ms":250})")["ok"], true);
  host.advance(1000);
  EXPECT_EQ(host.states("meter").size(), 4u);  // now every 250 ms
  EXPECT_EQ(host.last_state("meter")->at("interval_ms"), 250);
}

TEST(HelloMeter, RefusesABadInterval) {
  FakeHost host("meter");
  try {
    FakeInstance meter(hello_meter(), host, {{"interval_ms", 0}});
    FAIL() << "created with interval_ms = 0";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "interval_ms must be positive");
  }
}

}  // namespace
