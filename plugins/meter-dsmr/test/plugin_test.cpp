// The built plugin library (hepek-meter-dsmr.so) loaded through its C entry point on the SDK's fake host
// (hepek/testing/fake_host.hpp) and driven as the hub drives it: file replay in simulation and live, a real
// TCP bridge with a reconnect, and a serial port (a pseudo-terminal).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pty.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include <hepek/testing/fake_host.hpp>

#include "dsmr_test_data.hpp"

using namespace hepek::dsmr::test_data;
using hepek::testing::FakeHost;
using hepek::testing::PluginUnderTest;
using hepek::testing::TempFile;
using nlohmann::json;

namespace {

const PluginUnderTest& plugin() {
  static const PluginUnderTest loaded = PluginUnderTest::from_library(HEPEK_DSMR_PLUGIN_PATH);
  return loaded;
}

// One instance of the meter on `host` (the instance id the hub would give it: grid_meter).
using Instance = hepek::testing::FakeInstance;

bool logged(const FakeHost& host, int level, const std::string& text) {
  return host.logged(level, text);
}

}  // namespace

TEST(Plugin, Descriptor) {
  const hepek_plugin& d = plugin().descriptor();
  EXPECT_STREQ(d.id, "org.hepek.meter.dsmr");
  EXPECT_STREQ(d.category, "meter");
  EXPECT_EQ(d.abi_major, HEPEK_ABI_MAJOR);
  std::vector<std::string> keys;
  for (uint32_t i = 0; i < d.config_row_count; ++i) keys.push_back(d.config_rows[i].key);
  for (const char* key : {"source", "device", "baud", "host", "port", "path", "interval_ms", "loop"})
    EXPECT_NE(std::find(keys.begin(), keys.end(), key), keys.end()) << key;
  ASSERT_EQ(d.command_count, 1u);
  EXPECT_STREQ(d.commands[0].name, "dsmr parse");
}

TEST(Plugin, CliCommandThroughTheAbi) {
  const std::string valid = dsmr_dir() + "/ndokter_telegram_v5.txt";
  const std::string broken = dsmr_dir() + "/ndokter_telegram_v5_BADCRC_line_removed.txt";
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(plugin().run_cli("dsmr parse", {valid}), 0);
  EXPECT_EQ(plugin().run_cli("dsmr parse", {broken}), 1);
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(out.rfind(R"({"ok":true,"crc":"6EEE","header":"/ISk5\\2MT382-1000")", 0), 0u) << out;
  EXPECT_NE(out.find(R"({"ok":false,"error":")"), std::string::npos) << out;
}

TEST(Plugin, ConfigErrorsRefuseTheInstance) {
  FakeHost host("grid_meter");
  auto message_of = [&](const std::string& config) {
    try {
      Instance instance(plugin(), host, json::parse(config));
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("(created)");
  };
  // A value outside the schema's enum is refused by the host before the plugin runs (the plugin's own message
  // for it is tested in plugin_config_test.cpp).
  EXPECT_EQ(message_of(R"({"source":"usb"})"),
            R"("source" must be one of ["serial","tcp","file"], got "usb")");
  EXPECT_EQ(message_of(R"({"source":"serial","baud":12345})"),
            "baud: 12345 is not a supported rate (1200 ... 230400; P1 uses 115200, DSMR 2.2/3 9600)");
  EXPECT_EQ(message_of(R"({"source":"tcp","host":"meter.local"})"), "port: 0 is not a TCP port (1-65535)");
  EXPECT_EQ(message_of(R"({"source":"file"})"), R"(path: a telegram file is required for source = "file")");
  EXPECT_EQ(message_of(R"({"source":"file","path":"/nonexistent/p1.txt"})"),
            "cannot open telegram file /nonexistent/p1.txt: No such file or directory");
}

TEST(Plugin, SimulationReplaysOneTelegramPerSenseStep) {
  const TempFile file("sim.txt", telegram_file("ndokter_telegram_v4_2.txt") +
                                     telegram_file("ndokter_telegram_v4_2_BADCRC_line_removed.txt") +
                                     telegram_file("ndokter_telegram_fluvius_v171.txt"));
  const std::string& path = file.path();
  FakeHost host("grid_meter");
  host.simulation = true;
  Instance instance(plugin(), host, json{{"source", "file"}, {"path", path}});
  instance.start();
  EXPECT_TRUE(host.timers().empty());  // virtual time: the steps drive the replay, not a wall-clock timer

  instance.step(HEPEK_PHASE_SENSE, host.now_ms());
  instance.step(HEPEK_PHASE_DECIDE, host.now_ms());
  instance.step(HEPEK_PHASE_ACT, host.now_ms());
  auto messages = host.published();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].topic, "hepek/grid_meter/config");  // metadata before the first state
  EXPECT_TRUE(messages[0].retained);
  EXPECT_EQ(messages[1].topic, "hepek/grid_meter/state");
  EXPECT_TRUE(messages[1].retained);
  const json config = json::parse(messages[0].payload);
  EXPECT_EQ(config["device"], "grid_meter");
  EXPECT_EQ(config["manufacturer"], "KFM");
  bool has_energy = false;
  for (const auto& entity : config["entities"])
    if (entity["field"] == "energy_import") has_energy = entity["unit"] == "Wh";
  EXPECT_TRUE(has_energy) << config.dump();
  json state = json::parse(messages[1].payload);
  EXPECT_EQ(state["energy_import_tariff1"], 1581123);
  EXPECT_EQ(state["energy_import"], 3016829);
  EXPECT_EQ(state["power"], 2027);
  EXPECT_EQ(state["gas"], 981.443);
  EXPECT_EQ(state["telegrams_accepted"], 1);
  EXPECT_EQ(state["telegrams_rejected"], 0);
  EXPECT_EQ(state["ts"], "2023-11-14T22:13:20.000Z");  // the hub clock, not the meter's

  instance.step(HEPEK_PHASE_SENSE, host.now_ms() + 1000);  // the bad-CRC telegram: logged, not published
  EXPECT_EQ(host.published().size(), 2u);
  EXPECT_TRUE(
      logged(host, HEPEK_LOG_WARNING, "rejected telegram #1 (1 accepted so far): line 71: CRC mismatch"));

  instance.step(HEPEK_PHASE_SENSE, host.now_ms() + 1000);  // Belgian meter: new fields, so announced again
  messages = host.published();
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[2].topic, "hepek/grid_meter/config");
  state = json::parse(messages[3].payload);
  EXPECT_EQ(state["telegrams_accepted"], 2);
  EXPECT_EQ(state["telegrams_rejected"], 1);
  EXPECT_EQ(state["demand_peak_month"], 2589);
  EXPECT_EQ(state["water"], 872.234);

  instance.step(HEPEK_PHASE_SENSE, host.now_ms() + 1000);  // the end of the file, no loop
  EXPECT_EQ(host.published().size(), 4u);
  EXPECT_TRUE(logged(host, HEPEK_LOG_INFO, "finished after 3 telegrams"));
}

TEST(Plugin, TelegramWithALineLeftOutIsPublishedCountedAndLogged) {
  std::string legacy = telegram_file("ndokter_telegram_v2_2.txt");  // DSMR 2.2: no CRC to recompute
  legacy.replace(legacy.find("0-0:96.3.10(1)"), 14, "0-0:96.3.10(1");
  const TempFile file("forgiven.txt", legacy);
  FakeHost host("grid_meter");
  host.simulation = true;
  Instance instance(plugin(), host, json{{"source", "file"}, {"path", file.path()}});
  instance.start();
  instance.step(HEPEK_PHASE_SENSE, host.now_ms());
  const auto messages = host.published();
  ASSERT_EQ(messages.size(), 2u);
  const json state = json::parse(messages[1].payload);
  EXPECT_EQ(state["telegrams_accepted"], 1);
  EXPECT_EQ(state["telegrams_with_problems"], 1);
  EXPECT_EQ(state["gas"], 1.001);  // the rest is published
  EXPECT_EQ(state["mbus"][0]["kind"], "gas");
  ASSERT_EQ(state["problems"].size(), 1u);
  EXPECT_EQ(state["problems"][0]["line"], 12);
  EXPECT_EQ(state["problems"][0]["text"], "0-0:96.3.10(1");
  EXPECT_TRUE(logged(host, HEPEK_LOG_WARNING,
                     "telegram #1 accepted, line 12 left out or cleaned: '(' at column 12 is never closed: "
                     "0-0:96.3.10(1"));
  const json config = json::parse(messages[0].payload);
  bool counted = false;
  for (const auto& entity : config["entities"]) counted |= entity["field"] == "telegrams_with_problems";
  EXPECT_TRUE(counted) << messages[0].payload;
}

TEST(Plugin, LiveFileReplayRunsOnATimerAndLoops) {
  const TempFile file("live.txt", telegram_file("ndokter_telegram_v5.txt"));
  FakeHost host("grid_meter");
  Instance instance(plugin(), host,
                    json{{"source", "file"}, {"path", file.path()}, {"interval_ms", 250}, {"loop", true}});
  instance.start();
  const auto timers = host.timers();
  ASSERT_EQ(timers.size(), 1u);
  EXPECT_EQ(timers[0].period_ms, 250u);
  host.advance(3 * 250);  // the manual clock: the timer fires three times
  const auto states = host.states("grid_meter");
  ASSERT_EQ(states.size(), 3u);
  EXPECT_EQ(json::parse(states[2])["telegrams_accepted"], 3);
  EXPECT_EQ(json::parse(states[2])["voltage_l1"], 230.0);
}

// A ser2net-like bridge: the first connection sends a telegram in pieces and half of the next, then drops;
// the plugin reconnects and the second connection sends one more telegram.
TEST(Plugin, TcpSourceReadsAndReconnects) {
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  socklen_t length = sizeof address;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  const int port = ntohs(address.sin_port);

  const std::string v5 = telegram_file("ndokter_telegram_v5.txt");
  const std::string v42 = telegram_file("ndokter_telegram_v4_2.txt");
  std::atomic<bool> done = false;
  std::thread bridge([&] {
    int connection = ::accept(listener, nullptr, nullptr);
    const std::string first = "noise\r\n" + v5 + v42.substr(0, 400);
    for (std::size_t pos = 0; pos < first.size(); pos += 100) {
      ::send(connection, first.data() + pos, std::min<std::size_t>(100, first.size() - pos), MSG_NOSIGNAL);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::close(connection);
    connection = ::accept(listener, nullptr, nullptr);
    ::send(connection, v42.data(), v42.size(), MSG_NOSIGNAL);
    while (!done) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ::close(connection);
  });

  FakeHost host("grid_meter");
  {
    Instance instance(plugin(), host,
                      json{{"source", "tcp"}, {"host", "127.0.0.1"}, {"port", port}, {"reconnect_ms", 50}});
    instance.start();
    EXPECT_TRUE(host.wait_for_states("grid_meter", 2, std::chrono::seconds(10)));
    done = true;
  }  // stop + destroy join the reader thread
  bridge.join();
  ::close(listener);

  const auto states = host.states("grid_meter");
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(json::parse(states[0])["energy_import_tariff1"], 4426);
  const json second = json::parse(states[1]);
  EXPECT_EQ(second["energy_import_tariff1"], 1581123);
  EXPECT_EQ(second["telegrams_accepted"], 2);
  EXPECT_EQ(second["telegrams_rejected"], 1);  // the half telegram cut by the dropped connection
  EXPECT_TRUE(logged(host, HEPEK_LOG_WARNING, "truncated telegram"));
  EXPECT_TRUE(logged(host, HEPEK_LOG_WARNING, "retrying in 50 ms"));
}

// A pseudo-terminal is a real tty: termios set-up and reads go through the kernel as with a USB P1 cable.
TEST(Plugin, SerialSourceReadsATty) {
  int master = -1, slave = -1;
  char name[256] = {};
  ASSERT_EQ(::openpty(&master, &slave, name, nullptr, nullptr), 0);
  FakeHost host("grid_meter");
  {
    Instance instance(plugin(), host, json{{"source", "serial"}, {"device", name}});
    instance.start();
    // The plugin flushes input when it opens the port; give it a moment before the meter "sends".
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const std::string telegram = telegram_file("ndokter_telegram_fluvius_v171.txt");
    ASSERT_EQ(::write(master, telegram.data(), telegram.size()), static_cast<ssize_t>(telegram.size()));
    EXPECT_TRUE(host.wait_for_states("grid_meter", 1, std::chrono::seconds(10)));
  }
  ::close(slave);
  ::close(master);
  const auto states = host.states("grid_meter");
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(json::parse(states[0])["gas"], 112.384);
  EXPECT_TRUE(logged(host, HEPEK_LOG_INFO, std::string("reading serial port ") + name));
}
