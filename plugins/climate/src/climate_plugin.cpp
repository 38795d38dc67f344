// The climate plugin (org.hepek.climate): an air conditioner, heat pump or thermostat controlled over MQTT with
// Home Assistant's MQTT climate topics (mode/temperature/fan command and state topics, current temperature,
// action, power, availability), as one device hepek/<id> implementing the `climate` interface.
//  - Commands on hepek/<id>/set (target_temperature, hvac_mode, fan_mode, expires_s) go to the unit; with
//    expires_s they are a temporary override that lapses back to the user's own setting (setting_state.hpp).
//  - The user's own setting (commands without expires_s and changes made on the unit) is kept in
//    <data_dir>/climate-setting.json across restarts (not in simulation) and re-sent at start.
//  - Indoor temperature: the unit's current_temperature_topic, or a HEPEK temperature_sensor role indoor
//    (indoor_sensor), checked with interfaces::check_implements on its retained config.
//  - Availability: the unit's availability topic (when configured) and a state report within stale_after_s.
//  - Bad unit payloads are counted (bad_payloads) and logged once per kind; they change nothing.
// Everything runs on the hub's event thread (handlers and timers); no threads of its own.
#include <cmath>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <hepek/interfaces.hpp>
#include <hepek/json_limits.hpp>
#include <hepek/plugin.hpp>
#include <hepek/quote.hpp>
#include <hepek/timeseries/zone_clock.hpp>

#include "comfort_schedule.hpp"
#include "setting_state.hpp"
#include "setting_store.hpp"
#include "unit_payload.hpp"

namespace hepek::climate {
namespace {

const std::vector<std::string> kHvacModes = {"off", "heat", "cool", "auto"};
constexpr double kMaxExpiresS = 7 * 86400;
constexpr std::int64_t kHeartbeatMs = 30'000;

// What a unit state topic reports.
enum class Report { mode, target, current, action, fan, power };

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

Entity timestamp_sensor(std::string field, std::string name) {
  Entity entity = text_sensor(std::move(field), std::move(name));
  entity.device_class = "timestamp";
  return entity;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

class ClimatePlugin : public Plugin {
 public:
  static constexpr const char* category = "climate";
  static constexpr const char* description =
      "Air conditioner, heat pump or thermostat over MQTT (Home Assistant MQTT climate topics)";

  static std::vector<ConfigRow> config_schema() {
    auto topic = [](const char* key, const char* help) {
      return ConfigRow{key, HEPEK_CONFIG_STRING, "\"\"", false, help};
    };
    return {
        {"name", HEPEK_CONFIG_STRING, "\"Climate\"", false, "the device's name"},
        topic("mode_command_topic", "where to send the HVAC mode; empty = no mode control"),
        topic("mode_state_topic", "the unit's mode reports; empty = none"),
        topic("mode_state_json_key", "JSON key of the mode in mode_state_topic; empty = plain payload"),
        {"temperature_command_topic", HEPEK_CONFIG_STRING, "", true, "where to send the target temperature"},
        topic("temperature_state_topic", "the unit's target temperature reports; empty = none"),
        topic("temperature_state_json_key", "JSON key of the target temperature; empty = plain payload"),
        topic("current_temperature_topic", "the unit's room temperature reports; empty = none"),
        topic("current_temperature_json_key", "JSON key of the room temperature; empty = plain payload"),
        topic("action_topic",
              "the unit's action reports (off/idle/heating/cooling/drying/fan); empty = none"),
        topic("action_json_key", "JSON key of the action; empty = plain payload"),
        topic("fan_mode_command_topic", "where to send the fan mode; empty = no fan mode control"),
        topic("fan_mode_state_topic", "the unit's fan mode reports; empty = none"),
        topic("fan_mode_state_json_key", "JSON key of the fan mode; empty = plain payload"),
        topic("power_topic", "the unit's measured electric power (W); empty = estimate it"),
        topic("power_json_key", "JSON key of the power; empty = plain payload"),
        topic("availability_topic", "the unit's availability (online/offline); empty = none"),
        {"payload_available", HEPEK_CONFIG_STRING, "\"online\"", false, "availability payload: available"},
        {"payload_not_available", HEPEK_CONFIG_STRING, "\"offline\"", false,
         "availability payload: not available"},
        ConfigRow{"modes", HEPEK_CONFIG_STRING_ARRAY, "[\"off\",\"heat\",\"cool\",\"auto\"]", false,
                  "the HVAC modes the unit supports (of off, heat, cool, auto)"}
            .one_of(kHvacModes),
        {"mode_payload_off", HEPEK_CONFIG_STRING, "\"off\"", false, "the unit's payload for mode off"},
        {"mode_payload_heat", HEPEK_CONFIG_STRING, "\"heat\"", false, "the unit's payload for mode heat"},
        {"mode_payload_cool", HEPEK_CONFIG_STRING, "\"cool\"", false, "the unit's payload for mode cool"},
        {"mode_payload_auto", HEPEK_CONFIG_STRING, "\"auto\"", false, "the unit's payload for mode auto"},
        {"fan_modes", HEPEK_CONFIG_STRING_ARRAY, "[\"auto\",\"low\",\"medium\",\"high\"]", false,
         "the fan modes (sent and matched as written, case-insensitive)"},
        ConfigRow{"min_temp", HEPEK_CONFIG_FLOAT, "7", false, "lowest target temperature accepted (°C)"}
            .between(-20, 60),
        ConfigRow{"max_temp", HEPEK_CONFIG_FLOAT, "35", false, "highest target temperature accepted (°C)"}
            .between(-20, 60),
        ConfigRow{"rated_power_w", HEPEK_CONFIG_FLOAT, "1000", false,
                  "estimated electric power while heating or cooling (W)"}
            .between(0, 1e6),
        ConfigRow{"fan_power_w", HEPEK_CONFIG_FLOAT, "50", false,
                  "estimated electric power of the fan alone (W)"}
            .between(0, 1e6),
        {"comfort", HEPEK_CONFIG_STRING_ARRAY, "[]", false,
         "comfort bands by local time: \"HH:MM-HH:MM MIN-MAX\", e.g. \"07:00-23:00 20-24\""},
        topic("indoor_sensor", "a HEPEK temperature_sensor device (role indoor) for the room temperature"),
        ConfigRow{"stale_after_s", HEPEK_CONFIG_DURATION, "300", false,
                  "offline when the unit reported nothing this long; 0 = never"}
            .at_least(0),
        ConfigRow{"echo_grace_s", HEPEK_CONFIG_DURATION, "5", false,
                  "how long an unconfirmed command makes differing unit reports count as in flight, not as "
                  "changes at the unit"}
            .at_least(0),
    };
  }

  static std::vector<TopicGrant> topics() {
    return {{"{mode_command_topic}", HEPEK_ACCESS_PUBLISH},
            {"{temperature_command_topic}", HEPEK_ACCESS_PUBLISH},
            {"{fan_mode_command_topic}", HEPEK_ACCESS_PUBLISH},
            {"{mode_state_topic}", HEPEK_ACCESS_SUBSCRIBE},
            {"{temperature_state_topic}", HEPEK_ACCESS_SUBSCRIBE},
            {"{current_temperature_topic}", HEPEK_ACCESS_SUBSCRIBE},
            {"{action_topic}", HEPEK_ACCESS_SUBSCRIBE},
            {"{fan_mode_state_topic}", HEPEK_ACCESS_SUBSCRIBE},
            {"{power_topic}", HEPEK_ACCESS_SUBSCRIBE},
            {"{availability_topic}", HEPEK_ACCESS_SUBSCRIBE}};
  }

  ClimatePlugin(Host& host, const nlohmann::json& config)
      : Plugin(host),
        config_(config),
        modes_(config.at("modes").get<std::vector<std::string>>()),
        fan_modes_(config.at("fan_modes").get<std::vector<std::string>>()),
        mode_map_("mode", {{"off", text("mode_payload_off")},
                           {"heat", text("mode_payload_heat")},
                           {"cool", text("mode_payload_cool")},
                           {"auto", text("mode_payload_auto")}}),
        min_temp_(config.at("min_temp").get<double>()),
        max_temp_(config.at("max_temp").get<double>()),
        comfort_(parse_comfort_schedule(config.at("comfort").get<std::vector<std::string>>())),
        indoor_sensor_(text("indoor_sensor")),
        stale_after_ms_(config.at("stale_after_s").get<std::int64_t>() * 1000),
        state_({}, config.at("echo_grace_s").get<std::int64_t>() * 1000) {
    if (text("temperature_command_topic").empty())
      throw std::invalid_argument(
          "temperature_command_topic is empty: the unit needs a topic for its setpoint");
    if (!(min_temp_ < max_temp_))
      throw std::invalid_argument(
          fmt::format("min_temp ({}) must be below max_temp ({})", min_temp_, max_temp_));
    if (modes_.empty())
      throw std::invalid_argument("modes is empty: name at least one of off, heat, cool, auto");
    for (const auto& mode : modes_)
      if (!contains(kHvacModes, mode))
        throw std::invalid_argument(fmt::format("modes: \"{}\" is not one of off, heat, cool, auto", mode));
    if (fan_modes_.empty() && !text("fan_mode_command_topic").empty())
      throw std::invalid_argument("fan_modes is empty but fan_mode_command_topic is set");
    if (!indoor_sensor_.empty() && !text("current_temperature_topic").empty())
      throw std::invalid_argument(
          "indoor_sensor and current_temperature_topic are both set: the room temperature comes from one");
    if (!indoor_sensor_.empty() && indoor_sensor_.find_first_of("/#+") != std::string::npos)
      throw std::invalid_argument("indoor_sensor \"" + indoor_sensor_ + "\" is not a device id");
  }

  void start() override {
    zone_ = std::make_unique<timeseries::ZoneClock>(host().timezone());
    if (!host().is_simulation()) {
      store_ = std::make_unique<SettingStore>(host().data_dir() + "/climate-setting.json");
      if (auto remembered = store_->load()) {
        state_ = SettingState(*remembered, config_.at("echo_grace_s").get<std::int64_t>() * 1000);
        host().info("restored the user's setting " + remembered->to_json().dump());
      }
    }
    announce();
    subscribe_unit();
    if (!indoor_sensor_.empty()) subscribe_sensor();
    // Re-send the remembered setting: the unit may have been changed or restarted meanwhile.
    FieldsToSend all{};
    all.fill(true);
    send(all);
    publish_state();
    host().every(500, [this] { tick(); });
  }

  void stop() override { host().publish(topics::availability(host().id()), topics::kOffline, 1, true); }

 private:
  const std::string& text(const char* key) const { return config_.at(key).get_ref<const std::string&>(); }
  bool has_fan() const { return !text("fan_mode_command_topic").empty(); }
  bool has_mode() const { return !text("mode_command_topic").empty(); }

  void announce() {
    std::vector<Entity> entities = {
        sensor("temperature", "°C", "temperature", "measurement", "Room temperature"),
        number_command("target_temperature", min_temp_, max_temp_, "°C", "temperature", "Target temperature"),
        text_sensor("hvac_action", "Action"),
        sensor("power", "W", "power", "measurement", "Power"),
        text_sensor("power_estimated", "Power estimated"),
        sensor("comfort_min", "°C", "temperature", "measurement", "Comfort minimum"),
        sensor("comfort_max", "°C", "temperature", "measurement", "Comfort maximum"),
        timestamp_sensor("override_until", "Override until"),
        number_command("expires_s", 1, kMaxExpiresS, "s", "duration", "Override lifetime"),
        text_sensor("user_hvac_mode", "User's mode"),
        sensor("user_target_temperature", "°C", "temperature", "measurement", "User's target temperature"),
        sensor("bad_payloads", "", "", "total_increasing", "Bad unit payloads"),
    };
    if (has_mode())
      entities.push_back(enum_command("hvac_mode", kHvacModes, "Mode"));
    else
      entities.push_back(text_sensor("hvac_mode", "Mode"));
    if (has_fan()) entities.push_back(enum_command("fan_mode", fan_modes_, "Fan mode"));
    Device device{host().id(), text("name"), std::move(entities), "mqtt-climate"};
    device.implements(std::string(interfaces::kClimate));
    host().announce(device, [this](const nlohmann::json& command) { return on_command(command); });
  }

  // --- the unit ---
  void subscribe_unit() {
    const std::vector<std::tuple<const char*, const char*, Report>> reports = {
        {"mode_state_topic", "mode_state_json_key", Report::mode},
        {"temperature_state_topic", "temperature_state_json_key", Report::target},
        {"current_temperature_topic", "current_temperature_json_key", Report::current},
        {"action_topic", "action_json_key", Report::action},
        {"fan_mode_state_topic", "fan_mode_state_json_key", Report::fan},
        {"power_topic", "power_json_key", Report::power}};
    std::map<std::string, std::vector<std::pair<Report, std::string>>> by_topic;
    for (const auto& [topic_key, json_key, report] : reports)
      if (!text(topic_key).empty()) by_topic[text(topic_key)].emplace_back(report, text(json_key));
    has_state_topics_ = !by_topic.empty();
    for (auto& [topic, wanted] : by_topic)
      host().subscribe(topic, [this, wanted](const Message& message) { on_unit_message(message, wanted); });
    if (!text("availability_topic").empty())
      host().subscribe(text("availability_topic"),
                       [this](const Message& message) { on_unit_availability(message.payload); });
  }

  void on_unit_message(const Message& message, const std::vector<std::pair<Report, std::string>>& wanted) {
    if (!in_contact()) regain_contact();
    bool any = false;
    for (const auto& [report, json_key] : wanted) {
      const auto value = extract_value(message.payload, json_key);
      if (!value) {
        bad(message.topic, value.error());
        continue;
      }
      const auto problem = apply_report(report, *value);
      if (!problem.empty())
        bad(message.topic, problem);
      else
        any = true;
    }
    if (!any) return;
    last_report_ms_ = host().now_ms();
    publish_state();
  }

  // Applies one reported value; returns the error text when it is bad.
  std::string apply_report(Report report, const std::string& value) {
    switch (report) {
      case Report::mode: {
        const auto mode = mode_map_.name_of(value);
        if (!mode) return mode.error();
        return setting_report(Field::hvac_mode, *mode);
      }
      case Report::target: {
        const auto target = parse_temperature(value);
        if (!target) return target.error();
        return setting_report(Field::target_temperature, *target);
      }
      case Report::fan: {
        for (const auto& fan : fan_modes_)
          if (lower(fan) == lower(value)) return setting_report(Field::fan_mode, fan);
        return "unknown fan mode: " + quote_prefix(value);
      }
      case Report::current: {
        const auto current = parse_temperature(value);
        if (!current) return current.error();
        temperature_ = *current;
        return {};
      }
      case Report::action: {
        static const std::map<std::string, std::string> kActions = {
            {"off", "off"},        {"idle", "idle"}, {"heating", "heating"},    {"cooling", "cooling"},
            {"drying", "cooling"}, {"fan", "fan"},   {"preheating", "heating"}, {"defrosting", "heating"}};
        const auto it = kActions.find(lower(value));
        if (it == kActions.end()) return "unknown action: " + quote_prefix(value);
        action_ = it->second;
        return {};
      }
      case Report::power: {
        const auto power = parse_power(value);
        if (!power) return power.error();
        measured_power_ = *power;
        return {};
      }
    }
    return {};
  }

  std::string setting_report(Field field, const nlohmann::json& value) {
    FieldsToSend give_back{};
    const ReportKind kind = state_.report(field, value, host().now_ms(), give_back);
    if (kind != ReportKind::user_change) return {};
    host().info(fmt::format("{} changed on the unit to {}: now the user's setting",
                            kFieldNames[static_cast<std::size_t>(field)], value.dump()));
    remember();
    send(give_back);
    return {};
  }

  // The unit was silent (or is new to us): what it reports now may be what it had before it lost us (a reboot,
  // a restart of the hub), so the setting in effect is re-sent first and the reports that differ within
  // echo_grace_s are taken as stale, not as a change made on the unit.
  bool in_contact() const {
    return last_report_ms_ && (stale_after_ms_ == 0 || host().now_ms() - *last_report_ms_ < stale_after_ms_);
  }
  void regain_contact() {
    FieldsToSend all{};
    all.fill(true);
    send(all);
  }

  void on_unit_availability(std::string_view payload) {
    if (payload == text("payload_available")) {
      if (unit_available_ != true) regain_contact();
      unit_available_ = true;
    } else if (payload == text("payload_not_available"))
      unit_available_ = false;
    else
      bad(text("availability_topic"), "unknown availability payload: " + quote_prefix(payload));
    update_availability();
  }

  // Counted always, logged once per kind (the text before the first ':') and topic.
  void bad(std::string_view topic, const std::string& error) {
    ++bad_payloads_;
    const std::string kind = std::string(topic) + " " + error.substr(0, error.find(':'));
    if (logged_kinds_.insert(kind).second)
      host().warn(
          fmt::format("ignoring a bad payload on {}: {} (each kind is logged once; bad_payloads counts all)",
                      topic, error));
    publish_state();
  }

  // --- the indoor sensor ---
  void subscribe_sensor() {
    host().subscribe(topics::config(indoor_sensor_), [this](const Message& message) {
      directory_.on_config(indoor_sensor_, message.payload);
      const nlohmann::json* config = directory_.config(indoor_sensor_);
      const Status status =
          config ? interfaces::check_implements(*config, interfaces::kTemperatureSensor, "indoor")
                 : Status::failure("device \"" + indoor_sensor_ + "\" has no config");
      sensor_ok_ = status.ok();
      if (!sensor_ok_) {
        temperature_.reset();
        host().error("indoor_sensor: " + status.error());
      }
    });
    host().subscribe(topics::state(indoor_sensor_), [this](const Message& message) {
      if (!sensor_ok_) return;
      const auto state = json_limits::parse_limited(message.payload);
      const nlohmann::json* value =
          state && state->is_object() && state->contains("temperature") ? &(*state)["temperature"] : nullptr;
      if (!value || !value->is_number()) {
        bad(message.topic, "sensor state without a numeric temperature: " + quote_prefix(message.payload));
        return;
      }
      const auto celsius = parse_temperature(value->dump());
      if (!celsius) return bad(message.topic, celsius.error());
      temperature_ = *celsius;
      publish_state();
    });
    host().subscribe(topics::availability(indoor_sensor_), [this](const Message& message) {
      if (message.payload == topics::kOffline) {
        temperature_.reset();
        publish_state();
      }
    });
  }

  // --- commands ---
  CommandResult on_command(const nlohmann::json& command) {
    Setting fields;
    std::optional<double> expires_s;
    for (const auto& [key, value] : command.items()) {
      if (key == "target_temperature") {
        if (!value.is_number()) return CommandResult::rejected("target_temperature must be a number");
        const double target = value.get<double>();
        if (!std::isfinite(target) || target < min_temp_ || target > max_temp_)
          return CommandResult::rejected(
              fmt::format("target_temperature {} is outside this unit's min_temp..max_temp {}..{}",
                          value.dump(), min_temp_, max_temp_));
        fields[Field::target_temperature] = target;
      } else if (key == "hvac_mode") {
        if (!value.is_string()) return CommandResult::rejected("hvac_mode must be a string");
        if (!has_mode()) return CommandResult::rejected("hvac_mode: this unit has no mode_command_topic");
        if (!contains(modes_, value.get<std::string>()))
          return CommandResult::rejected(fmt::format("hvac_mode {} is not one of this unit's modes ({})",
                                                     value.dump(), fmt::join(modes_, ", ")));
        fields[Field::hvac_mode] = value;
      } else if (key == "fan_mode") {
        if (!value.is_string() || !has_fan() || !contains(fan_modes_, value.get<std::string>()))
          return CommandResult::rejected(fmt::format("fan_mode {} is not one of this unit's fan modes ({})",
                                                     quote_prefix(value.dump()),
                                                     fmt::join(fan_modes_, ", ")));
        fields[Field::fan_mode] = value;
      } else if (key == "expires_s") {
        if (!value.is_number() || !(value.get<double>() > 0) || value.get<double>() > kMaxExpiresS)
          return CommandResult::rejected(fmt::format("expires_s must be a number in (0, {}]", kMaxExpiresS));
        expires_s = value.get<double>();
      } else {
        return CommandResult::rejected("unknown field " + quote_prefix(key));
      }
    }
    bool any = false;
    for (const auto& value : fields.values) any |= value.has_value();
    if (!any)
      return CommandResult::rejected(
          "expires_s: a command needs target_temperature, hvac_mode or fan_mode (expires_s alone changes "
          "nothing)");
    const FieldsToSend to_send = state_.command(fields, expires_s, host().now_ms());
    if (!expires_s) remember();
    send(to_send);
    publish_state();
    return {};
  }

  void remember() {
    if (!store_) return;
    try {
      store_->save(state_.user());
    } catch (const std::exception& error) {
      host().error(error.what());
    }
  }

  // Sends the value in effect of each marked field that has a command topic.
  void send(const FieldsToSend& fields) {
    const Setting effective = state_.effective();
    for (std::size_t i = 0; i < kFieldCount; ++i) {
      const auto field = static_cast<Field>(i);
      const auto& value = effective[field];
      if (!fields[i] || !value) continue;
      std::string topic, payload;
      if (field == Field::target_temperature) {
        topic = text("temperature_command_topic");
        payload = format_temperature(value->get<double>());
      } else if (field == Field::hvac_mode) {
        topic = text("mode_command_topic");
        payload = mode_map_.payload_for(value->get<std::string>());
      } else {
        topic = text("fan_mode_command_topic");
        payload = value->get<std::string>();
      }
      if (topic.empty()) continue;
      if (const Status sent = host().publish(topic, payload); !sent) host().warn(sent.error());
      state_.sent(field, host().now_ms());
    }
  }

  // --- time ---
  void tick() {
    const bool overridden = state_.override_until_ms().has_value();
    const FieldsToSend lapsed = state_.expire(host().now_ms());
    if (overridden && !state_.override_until_ms()) {
      host().info("the override lapsed: back to the user's setting " + state_.user().to_json().dump());
      send(lapsed);
    }
    update_availability();
    publish_state();  // when something changed (the band, an override lapsing), or as the heartbeat
  }

  std::optional<ComfortBand> comfort_band() {
    if (comfort_.empty()) return std::nullopt;
    const std::int64_t local_minutes = zone_->to_local_ms(host().now_ms()) / 60'000;
    return comfort_.band_at(static_cast<int>(((local_minutes % 1440) + 1440) % 1440));
  }

  void update_availability() {
    bool online = unit_available_.value_or(text("availability_topic").empty());
    if (has_state_topics_ && stale_after_ms_ > 0)
      online = online && last_report_ms_ && host().now_ms() - *last_report_ms_ < stale_after_ms_;
    if (published_online_ == online) return;
    published_online_ = online;
    host().publish(topics::availability(host().id()), online ? topics::kOnline : topics::kOffline, 1, true);
  }

  // What the unit does: reported, else derived from the mode and the temperatures.
  std::string action(const Setting& effective) const {
    if (action_) return *action_;
    const std::string mode =
        effective[Field::hvac_mode] ? effective[Field::hvac_mode]->get<std::string>() : "";
    if (mode == "off") return "off";
    if (!temperature_ || !effective[Field::target_temperature]) return "idle";
    const double gap = *temperature_ - effective[Field::target_temperature]->get<double>();
    if ((mode == "cool" || mode == "auto") && gap > 0.25) return "cooling";
    if ((mode == "heat" || mode == "auto") && gap < -0.25) return "heating";
    return "idle";
  }

  void publish_state() {
    const Setting effective = state_.effective();
    const std::string doing = action(effective);
    auto or_null = [](const std::optional<nlohmann::json>& value) {
      return value ? *value : nlohmann::json();
    };
    nlohmann::json state = {{"temperature", temperature_ ? nlohmann::json(*temperature_) : nlohmann::json()},
                            {"target_temperature", or_null(effective[Field::target_temperature])},
                            {"hvac_mode", or_null(effective[Field::hvac_mode])},
                            {"hvac_action", doing},
                            {"user_target_temperature", or_null(state_.user()[Field::target_temperature])},
                            {"user_hvac_mode", or_null(state_.user()[Field::hvac_mode])},
                            {"bad_payloads", bad_payloads_}};
    if (measured_power_) {
      state["power"] = *measured_power_;
      state["power_estimated"] = false;
    } else {
      const double rated = config_.at("rated_power_w").get<double>();
      const double fan = config_.at("fan_power_w").get<double>();
      state["power"] = doing == "heating" || doing == "cooling" ? rated : doing == "fan" ? fan : 0.0;
      state["power_estimated"] = true;
    }
    published_band_ = comfort_band();
    state["comfort_min"] = published_band_ ? nlohmann::json(published_band_->min) : nlohmann::json();
    state["comfort_max"] = published_band_ ? nlohmann::json(published_band_->max) : nlohmann::json();
    const auto until = state_.override_until_ms();
    state["override_until"] = until ? nlohmann::json(iso8601_utc(*until)) : nlohmann::json();
    if (has_fan()) state["fan_mode"] = or_null(effective[Field::fan_mode]);
    // Units report often (every topic, every few seconds): publish what changed, and a heartbeat.
    const std::int64_t now = host().now_ms();
    if (state == last_state_ && now - last_published_ms_ < kHeartbeatMs) return;
    last_state_ = state;
    last_published_ms_ = now;
    if (const Status published = host().publish_state(host().id(), state); !published)
      host().warn(published.error());
  }

  nlohmann::json config_;
  std::vector<std::string> modes_;
  std::vector<std::string> fan_modes_;
  PayloadMap mode_map_;
  double min_temp_, max_temp_;
  ComfortSchedule comfort_;
  std::string indoor_sensor_;
  std::int64_t stale_after_ms_;
  SettingState state_;
  std::unique_ptr<SettingStore> store_;
  std::unique_ptr<timeseries::ZoneClock> zone_;
  interfaces::DeviceDirectory directory_;
  bool sensor_ok_ = false;
  bool has_state_topics_ = false;
  std::optional<double> temperature_;
  std::optional<std::string> action_;
  std::optional<double> measured_power_;
  std::optional<bool> unit_available_;
  std::optional<std::int64_t> last_report_ms_;
  std::optional<bool> published_online_;
  std::optional<ComfortBand> published_band_;
  std::int64_t last_published_ms_ = 0;
  nlohmann::json last_state_;
  std::uint64_t bad_payloads_ = 0;
  std::set<std::string> logged_kinds_;
};

}  // namespace hepek::climate

HEPEK_PLUGIN(hepek::climate::ClimatePlugin, "org.hepek.climate", "1.0.0")
