// The w1-temperature plugin (org.hepek.w1-temperature): one 1-Wire thermometer (DS18B20 and the other
// w1_therm parts) read through the Linux w1 subsystem's sysfs files, published as a device implementing
// `temperature_sensor` (role indoor or outdoor, as configured) on hepek/<id>: {"temperature": °C, "errors": n}.
// A reader thread does the reads (each blocks while the sensor converts) every interval_s and publishes the
// state itself (Host is thread-safe); a timer on the hub thread keeps the availability right: "online" after a
// good read, "offline" before any and after kOfflineAfterFailures failed reads in a row (sensor unplugged, bus
// disturbed), "online" again at the next good read. A failed read (CRC, the 85 °C reset value, garbage) publishes nothing, is counted and logged.
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <hepek/interfaces.hpp>
#include <hepek/plugin.hpp>

#include "w1_bus.hpp"
#include "w1_reading.hpp"

namespace hepek::w1 {
namespace {

constexpr uint64_t kOfflineAfterFailures = 3;
// A failed read is always counted; it is logged when it differs from the previous failure (a new kind of
// trouble), and a lasting one every 100th time, so a sensor that stays away does not flood the log.
constexpr uint64_t kRepeatedFailureLoggedEvery = 100;

// The sensor the instance reads: the configured one, or the only thermometer on the bus.
std::string choose_sensor(const std::filesystem::path& devices_dir, const std::string& configured) {
  if (!configured.empty()) {
    if (!is_thermometer(configured))
      throw std::invalid_argument(fmt::format(
          "sensor \"{}\" is not a 1-Wire thermometer id (family-serial, e.g. 28-0316a2793aff)", configured));
    return configured;
  }
  const auto found = list_thermometers(devices_dir);
  if (!found) throw std::invalid_argument(found.error() + "; set sensor = \"28-...\" to name one");
  if (found->size() != 1)
    throw std::invalid_argument(
        fmt::format("sensor is empty and {} has {} thermometers ({}): name one", devices_dir.string(),
                    found->size(), found->empty() ? "none" : fmt::format("{}", fmt::join(*found, ", "))));
  return found->front();
}

}  // namespace

class W1TemperaturePlugin : public Plugin {
 public:
  static constexpr const char* category = "device";
  static constexpr const char* description = "1-Wire thermometer (DS18B20) through Linux sysfs";

  static std::vector<ConfigRow> config_schema() {
    return {
        {"devices_dir", HEPEK_CONFIG_PATH, "\"/sys/bus/w1/devices\"", false,
         "the w1 subsystem's device directory"},
        {"sensor", HEPEK_CONFIG_STRING, "\"\"", false,
         "the sensor id (e.g. 28-0316a2793aff); empty = the only thermometer in devices_dir"},
        ConfigRow{"role", HEPEK_CONFIG_STRING, "\"indoor\"", false,
                  "where it measures: indoor, outdoor, or none (another temperature)"}
            .one_of({"indoor", "outdoor", "none"}),
        {"name", HEPEK_CONFIG_STRING, "\"\"", false, "the device's name; empty = \"Temperature <sensor>\""},
        ConfigRow{"interval_s", HEPEK_CONFIG_DURATION, "30", false, "time between reads"}.at_least(1),
    };
  }

  W1TemperaturePlugin(Host& host, const nlohmann::json& config)
      : Plugin(host),
        devices_dir_(config.at("devices_dir").get<std::string>()),
        sensor_(choose_sensor(devices_dir_, config.at("sensor").get<std::string>())),
        role_(config.at("role").get<std::string>()),
        name_(config.at("name").get<std::string>()),
        interval_(std::chrono::seconds(config.at("interval_s").get<int64_t>())) {}
  ~W1TemperaturePlugin() override { stop_reader(); }

  void start() override {
    if (host().is_simulation())
      host().warn(
          "a live 1-Wire sensor in a simulation: its reads follow the wall clock, not the simulated one");
    Device device{host().id(),
                  name_.empty() ? "Temperature " + sensor_ : name_,
                  {sensor("temperature", "°C", "temperature", "measurement", "Temperature"),
                   sensor("errors", "", "", "total_increasing", "Failed reads")},
                  "1-Wire " + sensor_};
    device.implements(std::string(interfaces::kTemperatureSensor), role_ == "none" ? "" : role_);
    host().announce(std::move(device));
    host().info(fmt::format("reading {} every {} s", (devices_dir_ / sensor_ / "w1_slave").string(),
                            interval_.count()));
    reader_ = std::jthread([this](std::stop_token stop) { read_until(stop); });
    host().every(1000, [this] { publish_availability_if_changed(); });
  }

  void stop() override {
    stop_reader();
    host().publish(topics::availability(host().id()), topics::kOffline, 1, true);
  }

 private:
  void stop_reader() {
    if (!reader_.joinable()) return;
    reader_.request_stop();
    wake_.notify_all();
    reader_.join();
  }

  // --- the reader thread ---
  void read_until(std::stop_token stop) {
    while (!stop.stop_requested()) {
      const auto celsius = read_thermometer(devices_dir_, sensor_);
      {
        std::lock_guard lock(mutex_);
        read_once_ = true;
        if (celsius) {
          failures_in_a_row_ = 0;
          good_read_ = true;
          last_error_.clear();
          host().publish_state(host().id(), {{"temperature", *celsius}, {"errors", errors_}});
        } else {
          ++errors_;
          ++failures_in_a_row_;
          if (celsius.error() != last_error_ || failures_in_a_row_ % kRepeatedFailureLoggedEvery == 0)
            host().warn(fmt::format("{} (failed read {}, {} in a row)", celsius.error(), errors_,
                                    failures_in_a_row_));
          last_error_ = celsius.error();
        }
      }
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, stop, interval_, [] { return false; });
    }
  }

  // --- the hub thread ---
  void publish_availability_if_changed() {
    std::lock_guard lock(mutex_);
    if (!read_once_) return;  // nothing known yet
    // Online once a read succeeded, until kOfflineAfterFailures reads in a row failed (one bad read is a
    // disturbed bus, not a lost sensor).
    const bool online = good_read_ && failures_in_a_row_ < kOfflineAfterFailures;
    // The first tick after the first read runs after the hub announced the instance "online": say what is true.
    if (published_online_ == online) return;
    published_online_ = online;
    host().publish(topics::availability(host().id()), online ? topics::kOnline : topics::kOffline, 1, true);
  }

  const std::filesystem::path devices_dir_;
  const std::string sensor_;
  const std::string role_;
  const std::string name_;
  const std::chrono::seconds interval_;
  std::mutex mutex_;  // everything below; the reader thread and the hub thread both use it
  std::condition_variable_any wake_;
  uint64_t errors_ = 0;
  uint64_t failures_in_a_row_ = 0;
  bool read_once_ = false;
  bool good_read_ = false;
  std::string last_error_;
  std::optional<bool> published_online_;
  std::jthread reader_;  // last: joined before the members its loop uses are destroyed
};

}  // namespace hepek::w1

HEPEK_PLUGIN(hepek::w1::W1TemperaturePlugin, "org.hepek.w1-temperature", "1.0.0")
