// relay: HEPEK's own supply switch (the P1 port is read-only). A device "<id>" with {"state":"on"|"off"}
// commands, driven through a backend: "gpio" (a contactor on a GPIO line, libgpiod), "mqtt" (any smart switch
// by topic, e.g. Tasmota cmnd/plug/POWER ON/OFF, following its state topic) or "sim" (nothing to drive; the
// simulated grid meter honours the published state). Publishes {"state":...} retained; remembers the last
// commanded state in its data directory across restarts (not in simulation, so runs stay reproducible);
// `off_periods` force it off for given ISO 8601 intervals (used to test supply cuts in simulation).
#include <memory>

#include <hepek/plugin.hpp>

#include "gpio_output.hpp"
#include "off_schedule.hpp"
#include "relay_state_store.hpp"
#include "switch_payload.hpp"

namespace hepek::relay {

class Relay : public Plugin {
 public:
  static constexpr const char* category = "switch";
  static constexpr const char* description = "Supply relay: GPIO contactor, MQTT smart switch or simulated";

  static std::vector<ConfigRow> config_schema() {
    return {
        ConfigRow{"backend", HEPEK_CONFIG_STRING, "\"sim\"", false, "gpio, mqtt or sim"}.one_of(
            {"gpio", "mqtt", "sim"}),
        ConfigRow{"role", HEPEK_CONFIG_STRING, "\"supply\"", false,
                  "supply (the home's supply switch) or appliance (a plug an appliance hangs on, e.g. for "
                  "flexible-load)"}
            .one_of({"supply", "appliance"}),
        ConfigRow{"default_state", HEPEK_CONFIG_STRING, "\"on\"", false, "state at first start (on or off)"}
            .one_of({"on", "off"}),
        {"remember", HEPEK_CONFIG_BOOLEAN, "true", false, "restore the last state after a restart"},
        {"gpio_chip", HEPEK_CONFIG_STRING, "\"gpiochip0\"", false, "gpio: chip name or /dev path"},
        ConfigRow{"gpio_line", HEPEK_CONFIG_INTEGER, "0", false, "gpio: line offset"}.at_least(0),
        {"gpio_active_low", HEPEK_CONFIG_BOOLEAN, "false", false, "gpio: drive low for on"},
        {"command_topic", HEPEK_CONFIG_STRING, "\"cmnd/plug/POWER\"", false, "mqtt: where to send on/off"},
        {"state_topic", HEPEK_CONFIG_STRING, "\"stat/plug/POWER\"", false,
         "mqtt: the switch's state; empty = none"},
        {"payload_on", HEPEK_CONFIG_STRING, "\"ON\"", false, "mqtt: command payload for on"},
        {"payload_off", HEPEK_CONFIG_STRING, "\"OFF\"", false, "mqtt: command payload for off"},
        {"state_on", HEPEK_CONFIG_STRING, "\"ON\"", false, "mqtt: state payload meaning on"},
        {"state_off", HEPEK_CONFIG_STRING, "\"OFF\"", false, "mqtt: state payload meaning off"},
        {"off_periods", HEPEK_CONFIG_STRING_ARRAY, "[]", false,
         "ISO 8601 intervals FROM/UNTIL during which the relay is forced off"},
        ConfigRow{"schedule_check_s", HEPEK_CONFIG_DURATION, "1", false,
                  "live mode: how often off_periods are checked"}
            .at_least(1),
    };
  }
  // The MQTT backend's topics, taken from this instance's config (the hub substitutes {key}; empty ones are
  // skipped).
  static std::vector<TopicGrant> topics() {
    return {{"{command_topic}", HEPEK_ACCESS_PUBLISH}, {"{state_topic}", HEPEK_ACCESS_SUBSCRIBE}};
  }

  Relay(Host& host, const nlohmann::json& config)
      : Plugin(host),
        backend_(config.at("backend").get<std::string>()),
        remember_(config.at("remember").get<bool>()),
        config_(config) {
    if (backend_ != "gpio" && backend_ != "mqtt" && backend_ != "sim")
      throw std::invalid_argument("backend must be \"gpio\", \"mqtt\" or \"sim\", got \"" + backend_ + "\"");
    const std::string initial = config.at("default_state").get<std::string>();
    if (initial != "on" && initial != "off")
      throw std::invalid_argument("default_state must be \"on\" or \"off\", got \"" + initial + "\"");
    commanded_on_ = initial == "on";
    schedule_ = parse_off_schedule(config.at("off_periods").get<std::vector<std::string>>());
    if (backend_ == "mqtt" && config.at("command_topic").get<std::string>().empty())
      throw std::invalid_argument("backend = \"mqtt\" needs a command_topic");
    if (config.at("gpio_line").get<std::int64_t>() < 0) throw std::invalid_argument("gpio_line must be >= 0");
  }

  void start() override {
    if (remember_ && !host().is_simulation()) {
      store_ = std::make_unique<RelayStateStore>(host().data_dir() + "/relay-state.json");
      if (const auto remembered = store_->load()) commanded_on_ = *remembered;
    }
    const bool initial = effective(host().now_ms());
    if (backend_ == "gpio")
      gpio_ = std::make_unique<GpioOutput>(
          config_.at("gpio_chip").get<std::string>(), config_.at("gpio_line").get<unsigned>(),
          config_.at("gpio_active_low").get<bool>(), initial, "hepek-" + host().id());
    if (backend_ == "mqtt" && !config_.at("state_topic").get<std::string>().empty())
      host().subscribe(config_.at("state_topic").get<std::string>(),
                       [this](const Message& message) { on_switch_report(message.payload); });
    const std::string role = config_.at("role").get<std::string>();
    host().announce(Device{host().id(),
                           role == "supply" ? "Supply relay" : "Appliance switch",
                           {enum_command("state", {"on", "off"}, role == "supply" ? "Supply" : "Power")},
                           "relay-" + backend_}
                        .implements("switch", role),
                    [this](const nlohmann::json& command) { return on_command(command); });
    drive(initial);
    if (!host().is_simulation() && !schedule_.empty())
      host().every(static_cast<std::uint64_t>(
                       std::max<std::int64_t>(1, config_.at("schedule_check_s").get<std::int64_t>())) *
                       1000,
                   [this] { follow_schedule(host().now_ms()); });
  }

  void stop() override { gpio_.reset(); }

  void step(Phase phase, std::int64_t now_ms) override {
    if (phase != Phase::sense) return;
    // The state held through the previous step (set by its sense phase or a later command) counts for that
    // step.
    if (last_step_ms_ && !state_on_) off_ms_ += now_ms - *last_step_ms_;
    last_step_ms_ = now_ms;
    follow_schedule(now_ms);
  }

  nlohmann::json summary() override {
    return {{"relay", {{host().id(), {{"off_hours", static_cast<double>(off_ms_ / 36'000) / 100.0}}}}}};
  }

 private:
  bool effective(std::int64_t now_ms) const { return commanded_on_ && !schedule_.is_off(now_ms); }

  CommandResult on_command(const nlohmann::json& command) {
    commanded_on_ = command.at("state") == "on";
    if (store_) store_->save(commanded_on_);
    try {
      drive(effective(host().now_ms()));
    } catch (const std::exception& error) {
      return error.what();
    }
    if (commanded_on_ && schedule_.is_off(host().now_ms()))
      return "accepted, but an off period is in force now";
    return {};
  }

  void follow_schedule(std::int64_t now_ms) {
    const bool wanted = effective(now_ms);
    if (wanted != state_on_) drive(wanted);
  }

  // Drives the backend and publishes the state. For MQTT the switch's own report (state_topic) has the last
  // word.
  void drive(bool on) {
    if (gpio_) gpio_->set(on);
    if (backend_ == "mqtt") {
      const std::string& topic = config_.at("command_topic").get_ref<const std::string&>();
      const std::string& payload =
          config_.at(on ? "payload_on" : "payload_off").get_ref<const std::string&>();
      if (host().publish(topic, payload) != HEPEK_OK) throw std::runtime_error("cannot publish to " + topic);
    }
    publish(on);
  }

  void on_switch_report(std::string_view payload) {
    const auto reported = parse_switch_state(payload, config_.at("state_on").get<std::string>(),
                                             config_.at("state_off").get<std::string>());
    if (!reported) {
      host().warn("ignoring an unrecognised switch state: " + std::string(payload));
      return;
    }
    if (*reported != state_on_) publish(*reported);
  }

  void publish(bool on) {
    state_on_ = on;
    host().publish_state(host().id(), {{"state", on ? "on" : "off"}});
  }

  std::string backend_;
  bool remember_;
  nlohmann::json config_;
  bool commanded_on_ = true;
  bool state_on_ = true;
  OffSchedule schedule_;
  std::unique_ptr<RelayStateStore> store_;
  std::unique_ptr<GpioOutput> gpio_;
  std::optional<std::int64_t> last_step_ms_;
  std::int64_t off_ms_ = 0;
};

}  // namespace hepek::relay

HEPEK_PLUGIN(hepek::relay::Relay, "org.hepek.relay", "1.0.0")
