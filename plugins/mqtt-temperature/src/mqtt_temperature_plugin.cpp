// The mqtt-temperature plugin (org.hepek.mqtt-temperature): the temperature of a third-party MQTT device —
// a zigbee2mqtt, Tasmota, ESPHome or Shelly thermometer — as a HEPEK device implementing `temperature_sensor`
// (role indoor, outdoor or none), so the climate plugin, the planner and Home Assistant find it by contract.
// The device is found either from the Home Assistant discovery document it announces (`discovery_topic`: state
// topic, value template, unit and availability are taken from it and followed when it changes) or from a
// configured `state_topic` with `value_key` and `unit`. State: {"temperature": °C, "errors": n}. Availability:
// online after a good reading while the device's own availability (if announced) is not "not available",
// offline before, after `stale_after_s` without a reading and when the device says so. A reading that cannot be
// used (not a number, key missing, impossible value) publishes nothing, is counted and logged when its kind
// changes. Everything runs on the hub thread.
#include <cmath>
#include <optional>

#include <fmt/format.h>
#include <hepek/interfaces.hpp>
#include <hepek/plugin.hpp>
#include <hepek/quote.hpp>

#include "discovery_sensor.hpp"
#include "reading_value.hpp"

namespace hepek::mqtt_temperature {

class MqttTemperaturePlugin : public Plugin {
 public:
  static constexpr const char* category = "device";
  static constexpr const char* description =
      "Temperature of a third-party MQTT device (zigbee2mqtt, Tasmota, ESPHome, Shelly; HA discovery)";

  static std::vector<ConfigRow> config_schema() {
    return {
        {"discovery_topic", HEPEK_CONFIG_STRING, "\"\"", false,
         "the device's Home Assistant discovery topic, e.g. "
         "homeassistant/sensor/0x00158d0001a2b3c4/temperature/"
         "config; empty: use state_topic, value_key and unit"},
        {"state_topic", HEPEK_CONFIG_STRING, "\"\"", false,
         "the topic the temperature comes on; with discovery_topic a filter that covers the announced one "
         "(e.g. zigbee2mqtt/#): the broker grants this plugin only what its config names"},
        {"value_key", HEPEK_CONFIG_STRING, "\"\"", false,
         "dotted JSON key of the value (temperature, DS18B20.Temperature); empty: the payload is the number"},
        {"unit", HEPEK_CONFIG_STRING, "\"°C\"", false, "unit of the value: °C, °F or K"},
        {"availability_topic", HEPEK_CONFIG_STRING, "\"\"", false,
         "the device's availability topic (or a filter covering the announced one); empty: none"},
        {"payload_available", HEPEK_CONFIG_STRING, "\"online\"", false, "availability payload: available"},
        {"payload_not_available", HEPEK_CONFIG_STRING, "\"offline\"", false,
         "availability payload: not available"},
        ConfigRow{"role", HEPEK_CONFIG_STRING, "\"indoor\"", false,
                  "where it measures: indoor, outdoor, or none (another temperature)"}
            .one_of({"indoor", "outdoor", "none"}),
        {"name", HEPEK_CONFIG_STRING, "\"\"", false,
         "the device's name; empty: the announced one or the topic"},
        ConfigRow{
            "stale_after_s", HEPEK_CONFIG_DURATION, "3600", false,
            "offline after this long without a reading (zigbee sensors report on change, at least hourly)"}
            .at_least(1),
    };
  }

  static std::vector<TopicGrant> topics() {
    return {{"{discovery_topic}", HEPEK_ACCESS_SUBSCRIBE},
            {"{state_topic}", HEPEK_ACCESS_SUBSCRIBE},
            {"{availability_topic}", HEPEK_ACCESS_SUBSCRIBE}};
  }

  MqttTemperaturePlugin(Host& host, const nlohmann::json& config)
      : Plugin(host),
        discovery_topic_(config.at("discovery_topic").get<std::string>()),
        state_filter_(config.at("state_topic").get<std::string>()),
        availability_filter_(config.at("availability_topic").get<std::string>()),
        role_(config.at("role").get<std::string>()),
        name_(config.at("name").get<std::string>()),
        stale_after_ms_(1000 * config.at("stale_after_s").get<int64_t>()) {
    if (discovery_topic_.empty() && state_filter_.empty())
      throw std::invalid_argument("set discovery_topic (a Home Assistant discovery topic) or state_topic");
    if (discovery_topic_.empty()) {
      for (const auto& [key, topic] :
           {std::pair{"state_topic", state_filter_}, std::pair{"availability_topic", availability_filter_}})
        if (topic.find_first_of("+#") != std::string::npos)
          throw std::invalid_argument(fmt::format(
              "{} \"{}\" has a wildcard: without discovery_topic it must be the device's own topic", key,
              topic));
      DiscoveredSensor configured;
      configured.state_topic = state_filter_;
      configured.value =
          checked(ValuePath::from_keys(config.at("value_key").get<std::string>()), "value_key");
      configured.unit = checked(parse_unit(config.at("unit").get<std::string>()), "unit");
      configured.availability_topic = availability_filter_;
      configured.payload_available = config.at("payload_available").get<std::string>();
      configured.payload_not_available = config.at("payload_not_available").get<std::string>();
      sensor_ = std::move(configured);
    }
  }

  void start() override {
    announce(name_.empty() ? "Temperature " + (sensor_ ? sensor_->state_topic : discovery_topic_) : name_);
    if (sensor_) {
      follow(*sensor_);
    } else {
      host().info("following the discovery document on " + discovery_topic_);
      host().subscribe(discovery_topic_, [this](const Message& message) { on_discovery(message); });
    }
    host().every(1000, [this] { publish_availability_if_changed(); });
  }

  void stop() override { host().publish(topics::availability(host().id()), topics::kOffline, 1, true); }

 private:
  template <typename T>
  static T checked(Result<T> result, const char* key) {
    if (!result) throw std::invalid_argument(std::string(key) + ": " + result.error());
    return std::move(result).value();
  }

  void announce(const std::string& name) {
    Device device{host().id(),
                  name,
                  {sensor("temperature", "°C", "temperature", "measurement", "Temperature"),
                   sensor("errors", "", "", "total_increasing", "Unusable readings")},
                  "MQTT temperature sensor"};
    device.implements(std::string(interfaces::kTemperatureSensor), role_ == "none" ? "" : role_);
    host().announce(std::move(device));
  }

  void on_discovery(const Message& message) {
    auto parsed = parse_discovery_sensor(message.payload);
    if (!parsed) {
      host().warn(fmt::format("ignoring the discovery document on {}: {} (still following {})", message.topic,
                              parsed.error(), sensor_ ? sensor_->state_topic : "nothing"));
      return;
    }
    if (!*parsed) {
      host().warn(
          fmt::format("the device removed its discovery document on {}; it is offline now", message.topic));
      unfollow();
      sensor_.reset();
      device_available_ = false;
      return;
    }
    DiscoveredSensor discovered = std::move(**parsed);
    if (sensor_ && *sensor_ == discovered) return;  // the retained copy again
    if (state_filter_.empty() || !topics::topic_matches(state_filter_, discovered.state_topic)) {
      host().error(fmt::format(
          "the device announces state_topic \"{}\", which state_topic = \"{}\" does not cover: the broker "
          "lets "
          "this plugin read only the topics its config names; set state_topic to it or a filter over it",
          discovered.state_topic, state_filter_));
      return;
    }
    if (!discovered.availability_topic.empty() &&
        !topics::topic_matches(availability_filter_, discovered.availability_topic) &&
        !topics::topic_matches(state_filter_, discovered.availability_topic)) {
      host().warn(
          fmt::format("the device's availability topic \"{}\" is not covered by state_topic or "
                      "availability_topic; its availability comes from its readings alone",
                      discovered.availability_topic));
      discovered.availability_topic.clear();
    }
    host().info(fmt::format("following {} ({}, {}) from the discovery document", discovered.state_topic,
                            discovered.value.describe(),
                            discovered.unit == TemperatureUnit::celsius ? "°C" : "converted to °C"));
    unfollow();
    if (name_.empty() && !discovered.name.empty()) announce(discovered.name);
    sensor_ = std::move(discovered);
    follow(*sensor_);
  }

  void follow(const DiscoveredSensor& sensor) {
    device_available_ = true;
    state_subscription_ =
        host().subscribe(sensor.state_topic, [this](const Message& message) { on_reading(message); });
    if (!sensor.availability_topic.empty())
      availability_subscription_ =
          host().subscribe(sensor.availability_topic, [this](const Message& message) {
            if (!sensor_) return;
            const auto said = read_text(message.payload, sensor_->availability_value);
            if (said == sensor_->payload_available) device_available_ = true;
            if (said == sensor_->payload_not_available) device_available_ = false;
          });
  }

  void unfollow() {
    for (auto* subscription : {&state_subscription_, &availability_subscription_})
      if (*subscription) {
        (void)host().unsubscribe(*subscription);
        *subscription = 0;
      }
  }

  void on_reading(const Message& message) {
    if (!sensor_ || message.topic != sensor_->state_topic) return;  // a filter's other topics
    const auto celsius = read_celsius(message.payload, sensor_->value, sensor_->unit);
    if (!celsius) {
      ++errors_;
      if (celsius.error() != last_error_)
        host().warn(fmt::format("unusable reading on {}: {} (unusable readings: {})", message.topic,
                                celsius.error(), errors_));
      last_error_ = celsius.error();
      return;
    }
    last_error_.clear();
    last_reading_ms_ = host().now_ms();
    // Two decimals: enough for any sensor, and °F/K conversions do not print 21.111111111.
    host().publish_state(host().id(),
                         {{"temperature", std::round(*celsius * 100) / 100}, {"errors", errors_}});
    publish_availability_if_changed();
  }

  void publish_availability_if_changed() {
    const bool fresh = last_reading_ms_ && host().now_ms() - *last_reading_ms_ < stale_after_ms_;
    const bool online = sensor_ && device_available_ && fresh;
    // The first tick says offline until a reading comes (the hub announced the instance online at start).
    if (published_online_ == online) return;
    published_online_ = online;
    host().publish(topics::availability(host().id()), online ? topics::kOnline : topics::kOffline, 1, true);
  }

  const std::string discovery_topic_;
  const std::string state_filter_;
  const std::string availability_filter_;
  const std::string role_;
  const std::string name_;
  const int64_t stale_after_ms_;
  std::optional<DiscoveredSensor> sensor_;  // what is followed; none before a discovery document
  uint64_t state_subscription_ = 0, availability_subscription_ = 0;
  bool device_available_ = true;
  std::optional<int64_t> last_reading_ms_;
  uint64_t errors_ = 0;
  std::string last_error_;
  std::optional<bool> published_online_;
};

}  // namespace hepek::mqtt_temperature

HEPEK_PLUGIN(hepek::mqtt_temperature::MqttTemperaturePlugin, "org.hepek.mqtt-temperature", "1.0.0")
