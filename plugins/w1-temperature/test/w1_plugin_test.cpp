// The built plugin (hepek-w1-temperature.so) on the SDK's fake host, reading a fake sysfs tree that this test
// writes in the kernel's own w1_slave format (the w1 subsystem cannot be loaded here: no 1-Wire master). Shows:
// the device implements temperature_sensor with the configured role; states follow the file; a CRC failure,
// the 85 °C reset value and an oversized file publish nothing and are counted; the sensor unplugged goes
// offline after three failed reads and online again when it is back; the only-thermometer rule and its errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include <hepek/interfaces.hpp>
#include <hepek/testing/fake_host.hpp>

#include "test_support.hpp"

namespace hepek::w1 {
namespace {

namespace t = hepek::testing;
namespace fs = std::filesystem;
using t::FakeHost;
using t::FakeInstance;
using t::PluginUnderTest;
using namespace std::chrono_literals;

constexpr const char* kSensor = "28-0316a2793aff";

const PluginUnderTest& plugin() {
  static const PluginUnderTest loaded = PluginUnderTest::from_library(HEPEK_W1_PLUGIN_PATH);
  return loaded;
}

std::string w1_slave(long millidegrees, bool crc_ok = true) {
  return std::string("72 01 4b 46 7f ff 0e 10 57 : crc=57 ") + (crc_ok ? "YES" : "NO") +
         "\n72 01 4b 46 7f ff 0e 10 57 t=" + std::to_string(millidegrees) + "\n";
}

// A /sys/bus/w1/devices look-alike: the bus master's entry and the sensors' folders.
class FakeSysfs {
 public:
  FakeSysfs() { fs::create_directories(devices() + "/w1_bus_master1"); }
  std::string devices() const { return dir_.file("devices"); }
  void write(const std::string& sensor, const std::string& text) const {
    fs::create_directories(devices() + "/" + sensor);
    const std::string tmp = devices() + "/" + sensor + "/w1_slave.tmp";
    { std::ofstream(tmp, std::ios::binary) << text; }
    fs::rename(tmp, devices() + "/" + sensor + "/w1_slave");  // a reader never sees half a file
  }
  void unplug(const std::string& sensor) const { fs::remove_all(devices() + "/" + sensor); }

 private:
  t::TempDir dir_;
};

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 15s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return condition();
}

std::string availability(const FakeHost& host, const std::string& device) {
  const auto published = host.published_on(topics::availability(device));
  return published.empty() ? "" : published.back().payload;
}

// The hub-thread timer publishes the availability: tick until it says `value`.
bool availability_becomes(FakeHost& host, const std::string& device, const std::string& value) {
  return eventually([&] {
    host.advance(1000);
    return availability(host, device) == value;
  });
}

TEST(W1TemperaturePlugin, PublishesTheOnlyThermometerAndFollowsItThroughFailures) {
  FakeSysfs sysfs;
  sysfs.write(kSensor, w1_slave(23125));
  FakeHost host("indoor");
  FakeInstance instance(plugin(), host, {{"devices_dir", sysfs.devices()}, {"interval_s", 1}});
  instance.start();

  const auto metadata = host.device_metadata("indoor");
  ASSERT_TRUE(metadata);
  EXPECT_TRUE(interfaces::check_implements(*metadata, interfaces::kTemperatureSensor, "indoor"));
  ASSERT_TRUE(host.wait_for_states("indoor", 1, 15s));
  EXPECT_EQ(host.last_state("indoor")->at("temperature"), 23.125);
  EXPECT_EQ(host.last_state("indoor")->at("errors"), 0);
  ASSERT_TRUE(availability_becomes(host, "indoor", "online"));

  sysfs.write(kSensor, w1_slave(-4500));
  ASSERT_TRUE(eventually([&] { return host.last_state("indoor")->at("temperature") == -4.5; }));

  // A disturbed bus and a sensor that lost power: nothing published, counted, logged with the file's name.
  const std::size_t states_before = host.states("indoor").size();
  sysfs.write(kSensor, w1_slave(21000, false));
  ASSERT_TRUE(eventually([&] { return host.logged(HEPEK_LOG_WARNING, "CRC check failed"); }));
  sysfs.write(kSensor, w1_slave(85000));
  ASSERT_TRUE(eventually([&] { return host.logged(HEPEK_LOG_WARNING, "power-on reset"); }));
  sysfs.write(kSensor, std::string(100000, '7'));  // not a w1_slave file at all
  ASSERT_TRUE(eventually([&] { return host.logged(HEPEK_LOG_WARNING, "not a w1_slave file"); }));
  EXPECT_TRUE(host.logged(HEPEK_LOG_WARNING, std::string(kSensor) + "/w1_slave"));
  // Three failed reads in a row: offline. (Each read above failed at least once.)
  ASSERT_TRUE(availability_becomes(host, "indoor", "offline"));

  sysfs.unplug(kSensor);
  ASSERT_TRUE(eventually([&] { return host.logged(HEPEK_LOG_WARNING, "cannot open"); }));
  EXPECT_EQ(availability(host, "indoor"), "offline");

  sysfs.write(kSensor, w1_slave(19750));
  ASSERT_TRUE(eventually([&] { return host.last_state("indoor")->at("temperature") == 19.75; }));
  EXPECT_GT(host.states("indoor").size(), states_before);
  EXPECT_GE(host.last_state("indoor")->at("errors").get<int>(), 4);
  ASSERT_TRUE(availability_becomes(host, "indoor", "online"));
  for (const auto& text : host.states("indoor")) {  // nothing implausible was ever published
    const double celsius = nlohmann::json::parse(text).at("temperature").get<double>();
    EXPECT_TRUE(celsius == 23.125 || celsius == -4.5 || celsius == 19.75) << text;
  }

  instance.stop();
  EXPECT_EQ(availability(host, "indoor"), "offline");
}

TEST(W1TemperaturePlugin, TheRoleIsTheConfiguredPlacement) {
  FakeSysfs sysfs;
  sysfs.write(kSensor, w1_slave(5000));
  {
    FakeHost host("outdoor");
    FakeInstance instance(plugin(), host, {{"devices_dir", sysfs.devices()}, {"role", "outdoor"}});
    instance.start();
    EXPECT_TRUE(interfaces::check_implements(*host.device_metadata("outdoor"), interfaces::kTemperatureSensor,
                                             "outdoor"));
  }
  {
    FakeHost host("tank");
    FakeInstance instance(plugin(), host,
                          {{"devices_dir", sysfs.devices()}, {"role", "none"}, {"name", "Tank"}});
    instance.start();
    const auto metadata = *host.device_metadata("tank");
    EXPECT_TRUE(interfaces::check_implements(metadata, interfaces::kTemperatureSensor));
    EXPECT_FALSE(interfaces::check_implements(metadata, interfaces::kTemperatureSensor, "indoor"));
  }
  FakeHost host("attic");
  EXPECT_THROW(FakeInstance(plugin(), host, {{"devices_dir", sysfs.devices()}, {"role", "attic"}}),
               std::runtime_error);
}

TEST(W1TemperaturePlugin, WithoutASensorIdExactlyOneThermometerMustBeThere) {
  FakeSysfs sysfs;
  FakeHost host("t");
  const auto refusal = [&](const nlohmann::json& config) -> std::string {
    try {
      FakeInstance instance(plugin(), host, config);
    } catch (const std::runtime_error& error) {
      return error.what();
    }
    return "";
  };
  EXPECT_NE(refusal({{"devices_dir", sysfs.devices()}}).find("has 0 thermometers (none): name one"),
            std::string::npos);
  sysfs.write(kSensor, w1_slave(20000));
  sysfs.write("10-000802b4b1c5", w1_slave(21000));
  sysfs.write("1d-000000abcdef", "a counter, not a thermometer");
  EXPECT_NE(refusal({{"devices_dir", sysfs.devices()}})
                .find("has 2 thermometers (10-000802b4b1c5, 28-0316a2793aff): name one"),
            std::string::npos);
  EXPECT_NE(refusal({{"devices_dir", sysfs.devices() + "/missing"}}).find("cannot list"), std::string::npos);
  EXPECT_NE(refusal({{"devices_dir", sysfs.devices()}, {"sensor", "1d-000000abcdef"}})
                .find("not a 1-Wire thermometer"),
            std::string::npos);
  // A named sensor need not be there yet (the bus enumerates it later): offline until it reads.
  FakeHost later("later");
  FakeInstance instance(plugin(), later,
                        {{"devices_dir", sysfs.devices()}, {"sensor", "28-00000000beef"}, {"interval_s", 1}});
  instance.start();
  ASSERT_TRUE(availability_becomes(later, "later", "offline"));
  sysfs.write("28-00000000beef", w1_slave(18000));
  ASSERT_TRUE(later.wait_for_states("later", 1, 15s));
  EXPECT_EQ(later.last_state("later")->at("temperature"), 18.0);
  ASSERT_TRUE(availability_becomes(later, "later", "online"));
}

}  // namespace
}  // namespace hepek::w1
