// The planner's clear-sky PV forecast follows the hub's location: with [hub] location = "gps" it moves to a
// location device's fix at the next replan and back to [hub] latitude/longitude when the device goes offline;
// its own latitude/longitude pin it; [hub] location = "config" ignores GPS devices. The built plugin
// (hepek-planner.so) runs on the SDK's fake host, fed as the bus would.
#include <gtest/gtest.h>

#include <algorithm>

#include <hepek/interfaces.hpp>
#include <hepek/testing/fake_host.hpp>

namespace {

namespace t = hepek::testing;

const t::PluginUnderTest& plugin() {
  static const t::PluginUnderTest loaded = t::PluginUnderTest::from_library(HEPEK_PLANNER_PLUGIN_PATH);
  return loaded;
}

std::string gps_config() {
  return hepek::Device{"gps", "GPS", hepek::interfaces::canonical_entities(hepek::interfaces::kLocation)}
      .implements("location")
      .to_json()
      .dump();
}

// The log lines that say where the planner forecasts PV for.
std::vector<std::string> forecast_locations(const t::FakeHost& host) {
  std::vector<std::string> lines;
  for (const auto& line : host.logs())
    if (line.message.find("PV forecast for") != std::string::npos) lines.push_back(line.message);
  return lines;
}

struct Planner {
  explicit Planner(const std::string& location, nlohmann::json config = {}) : host("planner") {
    host.hub_settings["location"] = location;
    config["battery"] = "battery";
    config["load"] = "load";
    config["pv"] = "pv";
    config["pv_model"] = "clearsky";
    instance.emplace(plugin(), host, config);
    instance->start();
    host.deliver("hepek/gps/config", gps_config(), true);
  }
  void replan() { host.advance(900 * 1000); }
  t::FakeHost host;
  std::optional<t::FakeInstance> instance;
};

TEST(PlannerLocation, FollowsTheGpsFixAndFallsBackWhenTheReceiverGoesOffline) {
  Planner planner("gps");
  planner.host.deliver("hepek/gps/state", R"({"mode":"3d","latitude":-33.86,"longitude":151.21})");
  planner.replan();
  auto lines = forecast_locations(planner.host);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("-33.86"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("151.21"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("(from gps)"), std::string::npos) << lines[0];

  planner.replan();  // unchanged: said once
  EXPECT_EQ(forecast_locations(planner.host).size(), 1u);

  planner.host.deliver("hepek/gps/availability", "offline");
  planner.replan();
  lines = forecast_locations(planner.host);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[1].find("52.37"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("(from config)"), std::string::npos) << lines[1];
}

TEST(PlannerLocation, ItsOwnCoordinatesAndLocationConfigIgnoreTheReceiver) {
  Planner pinned("gps", {{"latitude", 48.0}, {"longitude", 11.0}});
  pinned.host.deliver("hepek/gps/state", R"({"mode":"3d","latitude":-33.86,"longitude":151.21})");
  pinned.replan();
  EXPECT_TRUE(forecast_locations(pinned.host).empty());

  Planner configured("config");
  configured.host.deliver("hepek/gps/state", R"({"mode":"3d","latitude":-33.86,"longitude":151.21})");
  configured.replan();
  EXPECT_TRUE(forecast_locations(configured.host).empty());
}

}  // namespace
