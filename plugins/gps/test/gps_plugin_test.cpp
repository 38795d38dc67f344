// The built plugin (hepek-gps.so) on the SDK's fake host against Debian's gpsd (a real child process) reading
// the real receiver logs in testdata/gps from a pty this test feeds. Every position report the plugin publishes
// is checked, in order, against the TPV reports gpsd itself produced from the same log (the *.chk files of
// gpsd's regression suite): mode, latitude/longitude (1e-9), altitude, eph and the time. gpsd killed: the
// device goes offline; gpsd back on the same port: the plugin reconnects and reports again. A hostile "gpsd"
// (a socket in this test) sending garbage: counted errors, no crash, the next good report is published.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pty.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include <hepek/interfaces.hpp>
#include <hepek/testing/fake_host.hpp>
#include <hepek/time.hpp>
#include <hepek/timeseries/iso8601.hpp>

#include "test_support.hpp"

namespace hepek::gps {
namespace {

namespace t = hepek::testing;
using t::FakeHost;
using t::FakeInstance;
using t::PluginUnderTest;
using namespace std::chrono_literals;

constexpr const char* kGpsd = "/usr/sbin/gpsd";
// gpsd 3.22 (Debian 12) moves a receiver date before 2017 forward by one GPS week rollover (1024 weeks) when
// its leap-second count is above 17 (timebase.c, gpsd_utc_resolve; BUILD_LEAPSECONDS is 18): these 2005 and
// 2014 logs come out 1024 weeks later than gpsd's own .chk files say, exactly.
constexpr int64_t kRolloverMs = 1024LL * 7 * 86400 * 1000;
// The fake host's clock while the logs play: the offset to GPS time is exact against it.
constexpr int64_t kHubNowMs = 1'700'000'000'000;

const PluginUnderTest& plugin() {
  static const PluginUnderTest loaded = PluginUnderTest::from_library(HEPEK_GPS_PLUGIN_PATH);
  return loaded;
}

std::optional<std::string> missing_gpsd() {
  if (access(kGpsd, X_OK) == 0) return std::nullopt;
  return std::string(kGpsd) + " is not installed (Debian package gpsd; scripts/install-deps)";
}

// gpsd -N (foreground) -n (open the device now) -b (never write to it) on a pty whose master we hold.
class GpsdOnPty {
 public:
  GpsdOnPty(const std::string& log_path, int port) {
    char name[128] = {};
    int slave = -1;
    if (openpty(&master_, &slave, name, nullptr, nullptr) != 0) throw std::runtime_error("openpty failed");
    termios raw{};
    tcgetattr(slave, &raw);
    cfmakeraw(&raw);
    tcsetattr(slave, TCSANOW, &raw);
    slave_path_ = name;
    slave_ = slave;  // kept open so the pty does not hang up between gpsd runs
    start(log_path, port);
  }
  ~GpsdOnPty() {
    gpsd_.reset();
    close(master_);
    close(slave_);
  }
  void start(const std::string& log_path, int port) {
    gpsd_ = std::make_unique<t::ChildProcess>(
        std::vector<std::string>{kGpsd, "-N", "-n", "-b", "-S", std::to_string(port), slave_path_}, log_path);
  }
  void kill() { gpsd_->terminate(); }
  t::ChildProcess& process() { return *gpsd_; }
  // The log's sentences (comment lines left out), a few milliseconds apart like a serial line delivers them.
  void feed(const std::string& receiver_log) {
    std::ifstream in(receiver_log, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      line += "\n";
      if (write(master_, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
        throw std::runtime_error("writing to the pty failed");
      std::this_thread::sleep_for(5ms);
    }
  }

 private:
  int master_ = -1, slave_ = -1;
  std::string slave_path_;
  std::unique_ptr<t::ChildProcess> gpsd_;
};

std::vector<nlohmann::json> chk_reports(const std::string& chk) {
  std::ifstream in(t::testdata("gps/" + chk));
  std::vector<nlohmann::json> out;
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("{\"class\":\"TPV\"", 0) == 0) out.push_back(nlohmann::json::parse(line));
  return out;
}

std::string availability(FakeHost& host, const std::string& device) {
  const auto all = host.published();
  for (auto it = all.rbegin(); it != all.rend(); ++it)
    if (it->topic == topics::availability(device)) return it->payload;
  return "";
}

bool availability_becomes(FakeHost& host, const std::string& device, const std::string& value) {
  return host.wait_until(
      [&](const std::vector<t::Published>& messages) {
        for (auto it = messages.rbegin(); it != messages.rend(); ++it)
          if (it->topic == topics::availability(device)) return it->payload == value;
        return false;
      },
      30s);
}

std::vector<nlohmann::json> states(FakeHost& host, const std::string& device) {
  std::vector<nlohmann::json> out;
  for (const auto& text : host.states(device)) out.push_back(nlohmann::json::parse(text));
  return out;
}

// The GPS time gpsd 3.22 reports for a .chk time: the same, or one rollover later (kRolloverMs).
using Shifts = std::map<std::string, int64_t>;  // .chk time -> shift

// Whether a published state is the report gpsd wrote as `tpv` (empty) or what differs.
std::string difference(const nlohmann::json& state, const nlohmann::json& tpv, const Shifts& shifts) {
  const int mode = tpv.at("mode");
  if (state.at("mode") != (mode == 3 ? "3d" : mode == 2 ? "2d" : "none")) return "mode";
  if (std::abs(state.at("latitude").get<double>() - tpv.at("lat").get<double>()) > 1e-9) return "latitude";
  if (std::abs(state.at("longitude").get<double>() - tpv.at("lon").get<double>()) > 1e-9) return "longitude";
  if (mode == 3 && tpv.contains("altMSL")) {
    if (std::abs(state.at("altitude").get<double>() - tpv.at("altMSL").get<double>()) > 1e-6)
      return "altitude";
  } else if (!state.at("altitude").is_null()) {
    return "altitude";
  }
  if (tpv.contains("eph") && std::abs(state.at("eph").get<double>() - tpv.at("eph").get<double>()) > 1e-6)
    return "eph";
  if (!tpv.contains("time")) return state.at("gps_time").is_null() ? "" : "gps_time";
  const std::string chk_time = tpv.at("time");
  const auto instant = timeseries::parse_iso8601(chk_time);
  if (!instant || !shifts.count(chk_time)) return "time " + chk_time + " (not in the test's table)";
  const int64_t gps_ms = instant->unix_ms() + shifts.at(chk_time);
  if (state.at("gps_time") != iso8601_utc(gps_ms)) return "gps_time";
  if (state.at("time_offset_s").get<double>() != static_cast<double>(gps_ms - kHubNowMs) / 1000.0)
    return "time_offset_s";
  return "";
}

// Every published state is one of gpsd's .chk reports, in order; every fix time of the log is reported; the
// last state is the last report. `all`: gpsd 3.22 sends exactly the .chk's reports, one state each.
void expect_matches(const std::vector<nlohmann::json>& published, const std::vector<nlohmann::json>& chk,
                    const Shifts& shifts, bool all) {
  if (all) {
    ASSERT_EQ(published.size(), chk.size());
  }
  std::size_t next = 0;
  std::set<std::string> times;
  for (std::size_t i = 0; i < published.size(); ++i) {
    std::size_t match = next;
    while (match < chk.size() && !difference(published[i], chk[match], shifts).empty()) ++match;
    ASSERT_LT(match, chk.size()) << "state " << i << " is no .chk report at or after " << next << ": "
                                 << published[i].dump() << "\n  next: " << chk[next].dump()
                                 << "\n  differs in " << difference(published[i], chk[next], shifts);
    if (all) {
      EXPECT_EQ(match, i);
    }
    if (chk[match].contains("time")) times.insert(chk[match].at("time").get<std::string>());
    next = match + 1;
  }
  ASSERT_FALSE(published.empty());
  EXPECT_EQ(difference(published.back(), chk.back(), shifts), "") << "the last state is not the last report";
  for (const auto& [time, shift] : shifts)
    EXPECT_TRUE(times.count(time)) << "no state for the fix at " << time;
}

void plays_a_log_like_gpsd_reported_it(const std::string& log, const Shifts& shifts, bool all) {
  HEPEK_REQUIRE(missing_gpsd());
  t::TempDir dir;
  const int port = t::free_port();
  GpsdOnPty gpsd(dir.file("gpsd.log"), port);
  FakeHost host("gps");
  host.set_now_ms(kHubNowMs);
  FakeInstance instance(plugin(), host, {{"host", "127.0.0.1"}, {"port", port}});
  instance.start();
  ASSERT_TRUE(availability_becomes(host, "gps", "online")) << gpsd.process().log();
  const auto metadata = host.device_metadata("gps");
  ASSERT_TRUE(metadata);
  EXPECT_TRUE(interfaces::check_implements(*metadata, interfaces::kLocation));

  gpsd.feed(t::testdata("gps/" + log));
  const auto chk = chk_reports(log + ".chk");
  ASSERT_FALSE(chk.empty());
  const std::string last_time = chk.back().at("time");
  const std::string expected_last =
      iso8601_utc(timeseries::parse_iso8601(last_time)->unix_ms() + shifts.at(last_time));
  ASSERT_TRUE(host.wait_until(
      [&](const std::vector<t::Published>& messages) {
        for (const auto& message : messages)
          if (message.topic == topics::state("gps") &&
              nlohmann::json::parse(message.payload).value("gps_time", nlohmann::json()) == expected_last)
            return true;
        return false;
      },
      30s))
      << host.states("gps").size() << " states\n"
      << gpsd.process().log();
  std::this_thread::sleep_for(500ms);  // a report gpsd sent beyond the .chk's would show here
  expect_matches(states(host, "gps"), chk, shifts, all);
  EXPECT_EQ(host.last_state("gps")->at("errors"), 0);
  instance.stop();
  EXPECT_EQ(availability(host, "gps"), "offline");
}

// A "gpsd" that answers every connection with `script` and keeps it open until destroyed.
class HostileGpsd {
 public:
  explicit HostileGpsd(std::string script) : script_(std::move(script)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(listener_, 4) != 0)
      throw std::runtime_error("cannot listen");
    socklen_t length = sizeof address;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        const int client = accept(listener_, nullptr, nullptr);
        if (client < 0) return;  // the listener was shut down
        clients_.push_back(client);
        send(client, script_.data(), script_.size(), MSG_NOSIGNAL);
      }
    });
  }
  ~HostileGpsd() {
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    thread_.join();
    for (const int client : clients_) close(client);
  }
  int port() const { return port_; }

 private:
  std::string script_;
  int listener_ = -1;
  int port_ = 0;
  std::vector<int> clients_;  // the accept thread's
  std::thread thread_;
};

}  // namespace

TEST(GpsPlugin, GarbageFromGpsdIsCountedNeverFatal) {
  const std::string script =
      "{\"class\":\"VERSION\",\"release\":\"3.22\",\"rev\":\"3.22\",\"proto_major\":3,\"proto_minor\":14}\r\n"
      "{\"class\":\"WATCH\",\"enable\":true,\"json\":true}\r\n"
      "not json at all\r\n"
      "{\"class\":\"TPV\",\"mode\":3,\"lat\":1e999,\"lon\":4.9}\r\n"
      "{\"class\":\"TPV\",\"mode\":3,\"lat\":\"north\",\"lon\":4.9}\r\n"
      "{\"class\":\"TPV\",\"mode\":3,\"lat\":95.0,\"lon\":4.9,\"time\":\"garbage\"}\r\n"
      "{\"class\":\"SKY\",\"uSat\":-7,\"hdop\":-1}\r\n" +
      std::string(20000, 'A') + "\r\n" + std::string("\x00\xff\xfe{\"class\":", 12) + "\r\n" +
      "{\"class\":\"ERROR\",\"message\":\"unrecognized request\"}\r\n"
      "{\"class\":\"TPV\",\"mode\":3,\"lat\":52.1,\"lon\":4.9,\"altMSL\":1.5,"
      "\"time\":\"2024-06-01T12:00:00.000Z\"}\r\n";
  HostileGpsd gpsd(script);
  FakeHost host("gps");
  FakeInstance instance(plugin(), host, {{"host", "127.0.0.1"}, {"port", gpsd.port()}});
  instance.start();
  ASSERT_TRUE(host.wait_until(
      [&](const std::vector<t::Published>& messages) {
        for (const auto& message : messages)
          if (message.topic == topics::state("gps") &&
              nlohmann::json::parse(message.payload).value("latitude", nlohmann::json()) == 52.1)
            return true;
        return false;
      },
      30s));
  const auto last = host.last_state("gps");
  EXPECT_EQ(last->at("mode"), "3d");
  EXPECT_EQ(last->at("gps_time"), "2024-06-01T12:00:00.000Z");
  EXPECT_GE(last->at("errors").get<int>(), 3) << last->dump();
  EXPECT_TRUE(host.logged(HEPEK_LOG_WARNING, "not a gpsd report")) << last->dump();
  EXPECT_TRUE(host.logged(HEPEK_LOG_WARNING, "gpsd: {\"class\":\"ERROR\""));
  EXPECT_TRUE(host.logged(HEPEK_LOG_WARNING, "without a valid latitude/longitude"));
  for (const auto& text : host.states("gps")) {  // nothing implausible was published
    const auto state = nlohmann::json::parse(text);
    if (state["mode"] != "none") {
      EXPECT_EQ(state["latitude"], 52.1) << text;
    }
  }
  instance.stop();
}

// SiRF NMEA, 2014: no leap seconds from the receiver, so every time is one rollover later; gpsd 3.22 sends
// exactly the 27 reports of the .chk.
TEST(GpsPlugin, GlobalSatBu353S4LogMatchesGpsdsOwnReports) {
  Shifts shifts;
  for (const auto& tpv : chk_reports("bu353s4.log.chk"))
    if (tpv.contains("time")) shifts[tpv.at("time")] = kRolloverMs;
  ASSERT_EQ(shifts.size(), 25u);
  plays_a_log_like_gpsd_reported_it("bu353s4.log", shifts, /*all=*/true);
}

// Garmin NMEA, 2005: the receiver's $PGRMF gives gpsd the leap seconds (13) during the first fix, so gpsd 3.22
// stops the rollover correction from the second fix on. It merges the second second's sentences into fewer
// reports than the (newer) gpsd that wrote the .chk: each one it sends is a .chk report, in order.
TEST(GpsPlugin, Garmin17NLogMatchesGpsdsOwnReports) {
  plays_a_log_like_gpsd_reported_it(
      "garmin17n.log", {{"2005-03-16T09:38:02.000Z", kRolloverMs}, {"2005-03-16T09:38:03.000Z", 0}},
      /*all=*/false);
}

TEST(GpsPlugin, GpsdGoneIsOfflineAndGpsdBackIsFollowedAgain) {
  HEPEK_REQUIRE(missing_gpsd());
  t::TempDir dir;
  const int port = t::free_port();
  GpsdOnPty gpsd(dir.file("gpsd-1.log"), port);
  FakeHost host("gps");
  FakeInstance instance(
      plugin(), host, {{"host", "127.0.0.1"}, {"port", port}, {"reconnect_max_s", 2}, {"stale_after_s", 5}});
  instance.start();
  ASSERT_TRUE(availability_becomes(host, "gps", "online")) << gpsd.process().log();
  gpsd.feed(t::testdata("gps/garmin17n.log"));
  ASSERT_TRUE(host.wait_for_states("gps", 1, 30s)) << gpsd.process().log();

  gpsd.kill();
  ASSERT_TRUE(availability_becomes(host, "gps", "offline"));
  EXPECT_TRUE(host.logged(HEPEK_LOG_WARNING, "gpsd at 127.0.0.1:" + std::to_string(port)));
  const std::size_t before = host.states("gps").size();

  gpsd.start(dir.file("gpsd-2.log"), port);
  ASSERT_TRUE(availability_becomes(host, "gps", "online")) << gpsd.process().log();
  gpsd.feed(t::testdata("gps/garmin17n.log"));
  ASSERT_TRUE(host.wait_for_states("gps", before + 1, 30s)) << gpsd.process().log();
  const auto last = host.last_state("gps");
  EXPECT_EQ(last->at("mode"), "3d");
  EXPECT_NEAR(last->at("latitude").get<double>(), 52.219065, 1e-9);

  // No report for stale_after_s on the hub clock: the position is stale, no fix.
  host.advance(6000);
  EXPECT_EQ(host.last_state("gps")->at("stale"), true);
  EXPECT_EQ(host.last_state("gps")->at("mode"), "none");
  instance.stop();
}

}  // namespace hepek::gps
