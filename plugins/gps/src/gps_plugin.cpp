// The gps plugin (org.hepek.gps): a GNSS receiver through gpsd (libgps), published as a device implementing
// the `location` interface on hepek/<id>: latitude, longitude, altitude, fix mode, satellites used, HDOP, the
// horizontal error, GPS time and its offset from the hub clock, once per TPV report. The reader thread owns
// the gpsd connection (gpsd_reader.hpp) and publishes from it (Host is thread-safe); a timer on the hub thread
// marks the position stale when no report came for stale_after_s and keeps the availability right:
// hepek/<id>/availability is "offline" while gpsd is unreachable and "online" once gpsd acknowledged the watch.
#include <atomic>
#include <mutex>
#include <optional>

#include <fmt/format.h>
#include <hepek/interfaces.hpp>
#include <hepek/plugin.hpp>

#include "gps_fix.hpp"
#include "gpsd_reader.hpp"

namespace hepek::gps {
namespace {

// After this many consecutive failures only every 20th is logged: a gpsd that stays away must not flood.
constexpr uint64_t kFailuresAlwaysLogged = 3;
// Bad input is logged for the first ones, then every 100th, always counted.
constexpr uint64_t kBadInputAlwaysLogged = 10;
// While offline the availability is repeated this often (the hub announces "online" on a bus reconnect).
constexpr int64_t kRepeatOfflineMs = 60'000;

}  // namespace

class GpsPlugin : public Plugin {
 public:
  static constexpr const char* category = "device";
  static constexpr const char* description =
      "GNSS receiver through gpsd (libgps): position, fix and GPS time";

  static std::vector<ConfigRow> config_schema() {
    return {
        {"host", HEPEK_CONFIG_STRING, "\"localhost\"", false, "gpsd host"},
        ConfigRow{"port", HEPEK_CONFIG_INTEGER, "2947", false, "gpsd port"}.between(1, 65535),
        {"device", HEPEK_CONFIG_STRING, "\"\"", false,
         "watch only this gpsd device (e.g. /dev/ttyUSB0); empty = every device"},
        ConfigRow{"stale_after_s", HEPEK_CONFIG_DURATION, "10", false,
                  "no report for this long: the position is stale (mode none)"}
            .at_least(1),
        ConfigRow{"reconnect_max_s", HEPEK_CONFIG_DURATION, "30", false,
                  "longest wait between attempts to reach gpsd (the backoff doubles from 0.5 s)"}
            .at_least(1),
    };
  }

  GpsPlugin(Host& host, const nlohmann::json& config)
      : Plugin(host),
        settings_(settings_of(config)),
        stale_after_ms_(config.at("stale_after_s").get<int64_t>() * 1000),
        reader_(settings_, {[this](const std::string& release) { on_watching(release); },
                            [this](const Fix& fix) { on_report(fix); },
                            [this](const std::string& error) { on_bad_input(error); },
                            [this](const std::string& why, uint64_t n) { on_lost(why, n); }}) {}
  ~GpsPlugin() override { reader_.stop(); }

  void start() override {
    if (host().is_simulation())
      host().warn(
          "a live GPS receiver in a simulation: its reports follow the wall clock, not the simulated one");
    std::vector<Entity> entities = {
        sensor("latitude", "°", "", "measurement", "Latitude"),
        sensor("longitude", "°", "", "measurement", "Longitude"),
        text_sensor("mode", "Fix"),
        sensor("altitude", "m", "distance", "measurement", "Altitude (MSL)"),
        sensor("satellites_used", "", "", "measurement", "Satellites used"),
        sensor("hdop", "", "", "measurement", "HDOP"),
        sensor("eph", "m", "distance", "measurement", "Horizontal error"),
        text_sensor("gps_time", "GPS time"),
        sensor("time_offset_s", "s", "duration", "measurement", "GPS time - hub clock"),
        sensor("errors", "", "", "total_increasing", "gpsd input errors"),
    };
    entities[7].device_class = "timestamp";
    host().announce(Device{host().id(), "GPS receiver", std::move(entities), "gpsd"}.implements("location"));
    host().info("reading " + settings_.describe());
    reader_.start();
    host().every(1000, [this] { on_tick(); });
  }

  void stop() override {
    reader_.stop();
    host().publish(topics::availability(host().id()), topics::kOffline, 1, true);
  }

 private:
  static ReaderSettings settings_of(const nlohmann::json& config) {
    ReaderSettings settings;
    settings.host = config.at("host").get<std::string>();
    settings.port = config.at("port").get<int>();
    settings.device = config.at("device").get<std::string>();
    settings.reconnect_max_ms = config.at("reconnect_max_s").get<int64_t>() * 1000;
    if (settings.host.empty()) throw std::invalid_argument("host must not be empty");
    return settings;
  }

  // --- the reader thread ---
  void on_watching(const std::string& release) {
    std::lock_guard lock(mutex_);
    host().info(fmt::format("{}: watching (gpsd {})", settings_.describe(), release));
    last_report_ms_ = host().now_ms();  // the stale time runs from here until the first report
    set_online(true);
  }

  void on_report(const Fix& fix) {
    std::lock_guard lock(mutex_);
    const int64_t now = host().now_ms();
    last_report_ms_ = now;
    stale_ = false;
    host().publish_state(host().id(), location_state(fix, now, errors_));
  }

  void on_bad_input(const std::string& error) {
    std::lock_guard lock(mutex_);
    ++errors_;
    if (errors_ <= kBadInputAlwaysLogged || errors_ % 100 == 0)
      host().warn(fmt::format("{}: {} (input error {})", settings_.describe(), error, errors_));
  }

  void on_lost(const std::string& why, uint64_t consecutive) {
    std::lock_guard lock(mutex_);
    if (consecutive <= kFailuresAlwaysLogged || consecutive % 20 == 0)
      host().warn(fmt::format("{} (failure {} in a row; retrying with backoff)", why, consecutive));
    last_report_ms_.reset();
    set_online(false);
  }

  // --- the hub thread ---
  void on_tick() {
    std::lock_guard lock(mutex_);
    const int64_t now = host().now_ms();
    // The first tick runs after the hub announced the instance "online": say what is true.
    if (!ticked_ || (!online_ && now - *availability_published_ms_ >= kRepeatOfflineMs))
      publish_availability();
    ticked_ = true;
    if (online_ && !stale_ && last_report_ms_ && now - *last_report_ms_ >= stale_after_ms_) {
      stale_ = true;
      host().warn(fmt::format("{}: no position report for {} s: stale", settings_.describe(),
                              stale_after_ms_ / 1000));
      host().publish_state(host().id(), stale_state(errors_));
    }
  }

  void set_online(bool online) {  // mutex_ held
    if (online == online_ && availability_published_ms_) return;
    online_ = online;
    publish_availability();
  }
  void publish_availability() {  // mutex_ held
    availability_published_ms_ = host().now_ms();
    host().publish(topics::availability(host().id()), online_ ? topics::kOnline : topics::kOffline, 1, true);
  }

  ReaderSettings settings_;
  int64_t stale_after_ms_;
  std::mutex mutex_;  // everything below; the reader thread and the hub thread both use it
  bool online_ = false;
  bool stale_ = false;
  bool ticked_ = false;
  uint64_t errors_ = 0;
  std::optional<int64_t> last_report_ms_;
  std::optional<int64_t> availability_published_ms_;
  GpsdReader reader_;  // last: stopped (joined) before the members its callbacks use are destroyed
};

}  // namespace hepek::gps

HEPEK_PLUGIN(hepek::gps::GpsPlugin, "org.hepek.gps", "1.0.0")
