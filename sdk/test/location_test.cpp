// The hub's effective location (hepek/location.hpp): the configured coordinates until a location device has a
// 2D/3D fix, the first such device by name, back to the fallback when it loses the fix or goes offline, and
// [hub] location = "config" ignoring devices. The follower runs on the SDK's fake host, fed like the bus would.
#include <gtest/gtest.h>

#include <hepek/interfaces.hpp>
#include <hepek/location.hpp>
#include <hepek/testing/fake_host.hpp>

using namespace hepek;

namespace {

std::string location_config(const std::string& name) {
  return Device{name, "GPS", interfaces::canonical_entities(interfaces::kLocation)}
      .implements("location")
      .to_json()
      .dump();
}

std::string fix(const char* mode, double lat, double lon) {
  return nlohmann::json{{"mode", mode}, {"latitude", lat}, {"longitude", lon}}.dump();
}

const HubLocation kHome{52.37, 4.9, "config"};

}  // namespace

TEST(LocationSelector, FallsBackUntilAFixAndAfterItIsLost) {
  LocationSelector selector(kHome);
  EXPECT_EQ(selector.current(), kHome);
  selector.on_config("gps", location_config("gps"));
  EXPECT_EQ(selector.current(), kHome);  // announced, no state yet
  selector.on_state("gps", fix("none", 1, 2));
  EXPECT_EQ(selector.current(), kHome);
  selector.on_state("gps", fix("2d", -37.784788333, 175.314896667));
  EXPECT_EQ(selector.current(), (HubLocation{-37.784788333, 175.314896667, "gps"}));
  selector.on_state("gps", fix("3d", 52.219065, 21.010851667));
  EXPECT_EQ(selector.current(), (HubLocation{52.219065, 21.010851667, "gps"}));
  selector.on_availability("gps", "offline");
  EXPECT_EQ(selector.current(), kHome);
  selector.on_availability("gps", "online");
  EXPECT_EQ(selector.current().source, "gps");
  selector.on_state("gps", R"({"mode":"none","latitude":null,"longitude":null})");
  EXPECT_EQ(selector.current(), kHome);
}

TEST(LocationSelector, TakesTheFirstDeviceWithAFixAndIgnoresOthers) {
  LocationSelector selector(kHome);
  // A device that does not implement location is never a source, whatever its state says.
  selector.on_config("a-meter", Device{"a-meter", "M", interfaces::canonical_entities(interfaces::kGridMeter)}
                                    .implements("grid_meter", "grid")
                                    .to_json()
                                    .dump());
  selector.on_state("a-meter", fix("3d", 10, 10));
  selector.on_config("gps-b", location_config("gps-b"));
  selector.on_config("gps-a", location_config("gps-a"));
  selector.on_state("gps-b", fix("3d", 20, 20));
  EXPECT_EQ(selector.current().source, "gps-b");
  selector.on_state("gps-a", fix("2d", 30, 30));
  EXPECT_EQ(selector.current().source, "gps-a");  // name order
  selector.on_state("gps-a", fix("3d", 91, 30));  // out of range: no fix
  EXPECT_EQ(selector.current().source, "gps-b");
  for (const char* bad : {"", "not json", "[]", R"({"mode":"3d","latitude":"52","longitude":4})",
                          R"({"mode":3,"latitude":52,"longitude":4})"}) {
    selector.on_state("gps-b", bad);
    EXPECT_EQ(selector.current(), kHome) << bad;
    selector.on_state("gps-b", fix("3d", 20, 20));
  }
  selector.on_config("gps-b", "");  // config cleared: no longer a location device
  EXPECT_EQ(selector.current(), kHome);
}

TEST(LocationFollower, FollowsTheBusOnlyWhenTheHubSaysGps) {
  hepek::testing::FakeHost fake("planner");
  {
    Host host(fake.api(), fake.handle());
    LocationFollower follower(host);  // the fake host's default settings: no "location", i.e. "config"
    EXPECT_FALSE(follower.follows_gps());
    EXPECT_TRUE(fake.subscriptions().empty());
  }
  fake.hub_settings["location"] = "gps";
  fake.hub_settings["latitude"] = 1.0;
  fake.hub_settings["longitude"] = 2.0;
  Host host(fake.api(), fake.handle());
  LocationFollower follower(host);
  EXPECT_TRUE(follower.follows_gps());
  EXPECT_EQ(follower.current(), (HubLocation{1.0, 2.0, "config"}));
  fake.deliver(topics::config("gps"), location_config("gps"), true);
  fake.deliver(topics::availability("gps"), "online", true);
  fake.deliver(topics::state("gps"), fix("3d", 52.219065, 21.010851667), true);
  EXPECT_EQ(follower.current(), (HubLocation{52.219065, 21.010851667, "gps"}));
  fake.deliver(topics::availability("gps"), "offline", true);
  EXPECT_EQ(follower.current().source, "config");
}
