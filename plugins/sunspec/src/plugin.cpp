// The sunspec plugin (org.hepek.sunspec): one SunSpec device over Modbus TCP or RTU, published by the hub's
// device interfaces (pv_inverter, battery, grid_meter; device_functions.hpp), controlled through its own revert
// timers (controls.hpp), and the `hepek sunspec scan` command. A device with one function is hepek/<id>; one
// with several (a hybrid inverter) is hepek/<id>-pv, hepek/<id>-battery, hepek/<id>-meter. The poller thread
// owns the link (device_poller.hpp); readings are published from it (Host is thread-safe); a /set runs on the
// hub thread, waits for the poll in progress, writes and reads back.
#include <iostream>
#include <map>
#include <mutex>
#include <set>

#include <fmt/format.h>
#include <hepek/interfaces.hpp>
#include <hepek/payloads/battery_setpoint.hpp>
#include <hepek/plugin.hpp>

#include "controls.hpp"
#include "device_poller.hpp"
#include "model_reading.hpp"
#include "plugin_config.hpp"
#include "scan_command.hpp"

namespace hepek::sunspec {
namespace {

int scan_cli(const hepek::CommandContext&, const std::vector<std::string>& args) {
  return run_scan_command(args, std::cout, std::cerr);
}

// After this many consecutive failures only every 20th is logged: a device that stays away must not flood.
constexpr uint64_t kFailuresAlwaysLogged = 3;

}  // namespace

class SunSpecPlugin : public hepek::Plugin {
 public:
  static constexpr const char* category = "device";
  static constexpr const char* description =
      "SunSpec PV inverters, batteries and meters over Modbus TCP/RTU (model-driven, with controls)";

  static std::vector<hepek::ConfigRow> config_schema() { return PluginConfig::schema(); }
  static std::vector<hepek::CliCommand> cli_commands() {
    return {HEPEK_CLI("sunspec scan", "Discover a SunSpec device and print every model as one JSON document",
                      scan_cli)};
  }
  static std::vector<hepek::TopicGrant> topics() {
    return {{"hepek/{id}-pv/#", HEPEK_ACCESS_BOTH},
            {"hepek/{id}-battery/#", HEPEK_ACCESS_BOTH},
            {"hepek/{id}-meter/#", HEPEK_ACCESS_BOTH}};
  }

  SunSpecPlugin(hepek::Host& host, const nlohmann::json& config)
      : Plugin(host),
        config_(PluginConfig::from_json(config)),
        poller_(config_, {[this](const DeviceMap& map, const Snapshot& all) { on_discovered(map, all); },
                          [this](const Snapshot& snapshot, const PollOutcome& outcome) {
                            on_polled(snapshot, outcome);
                          },
                          [this](const std::string& error, uint64_t n) { on_failed(error, n); }}) {}
  ~SunSpecPlugin() override { poller_.stop(); }

  void start() override {
    if (host().is_simulation())
      host().warn(
          "a live SunSpec device in a simulation: its readings follow the wall clock, not the simulated one");
    host().info(fmt::format("polling {} every {} ms", config_.link.describe(), config_.poll_ms));
    poller_.start();
  }

  void stop() override {
    poller_.stop();
    std::lock_guard lock(mutex_);
    for (const auto& [name, function] : devices_)
      host().publish(topics::availability(name), "offline", 1, true);
  }

 private:
  struct Published {
    Function function;
    std::set<std::string> fields;  // announced
  };

  void on_discovered(const DeviceMap& map, const Snapshot& all) {
    std::lock_guard lock(mutex_);
    map_ = map;
    static_ = all;
    std::string models, unknown;
    for (const auto& model : all.models) {
      models += fmt::format("{}{}", models.empty() ? "" : ", ", model.location.id);
      if (!model.known()) unknown += fmt::format("{}{}", unknown.empty() ? "" : ", ", model.location.id);
      for (const auto& note : model.notes) host().info(config_.link.describe() + ": " + note);
    }
    for (const auto& note : map.notes) host().warn(config_.link.describe() + ": " + note);
    const auto functions = functions_of(map);
    std::string names;
    for (const Function function : functions)
      names += std::string(names.empty() ? "" : ", ") + function_suffix(function);
    host().info(fmt::format("{}: SunS at {}, models {}{}; publishing {}", config_.link.describe(), map.base,
                            models, unknown.empty() ? "" : " (no definition, skipped: " + unknown + ")",
                            names.empty() ? "nothing (no inverter, storage or meter model)" : names));
    devices_.clear();
    for (const Function function : functions) {
      const std::string name =
          functions.size() == 1 ? host().id() : host().id() + "-" + function_suffix(function);
      devices_[name] = Published{function, {}};
    }
  }

  void on_polled(const Snapshot& snapshot, const PollOutcome& outcome) {
    std::lock_guard lock(mutex_);
    if (!outcome.faults.empty() && !faults_logged_) {
      faults_logged_ = true;
      host().warn(fmt::format("{}: {} register(s) unreadable, their points are null (first: {})",
                              config_.link.describe(), outcome.unreadable, outcome.faults.front()));
    }
    Snapshot merged = static_;
    for (const auto& model : snapshot.models)
      for (auto& existing : merged.models)
        if (existing.location.address == model.location.address) existing = model;
    latest_ = merged;
    for (auto& [name, published] : devices_) {
      nlohmann::json state = function_state(published.function, merged);
      announce_if_needed(name, published, state);
      host().publish_state(name, std::move(state));
    }
    if (!online_) {
      online_ = true;
      host().publish(topics::availability(host().id()), "online", 1, true);
      for (const auto& [name, published] : devices_)
        host().publish(topics::availability(name), "online", 1, true);
      if (failures_ > 0) host().info(fmt::format("{}: back online", config_.link.describe()));
    }
    failures_ = 0;
  }

  void on_failed(const std::string& error, uint64_t consecutive) {
    std::lock_guard lock(mutex_);
    failures_ = consecutive;
    if (consecutive <= kFailuresAlwaysLogged || consecutive % 20 == 0)
      host().warn(fmt::format("{} (failure {} in a row; retrying with backoff)", error, consecutive));
    if (online_ || consecutive == 1) {
      online_ = false;
      host().publish(topics::availability(host().id()), "offline", 1, true);
      for (const auto& [name, published] : devices_)
        host().publish(topics::availability(name), "offline", 1, true);
    }
  }

  void announce_if_needed(const std::string& name, Published& published, const nlohmann::json& state) {
    std::set<std::string> fields;
    for (const auto& item : state.items()) fields.insert(item.key());
    if (fields == published.fields) return;
    published.fields = fields;
    const Identity id = identity_of(latest_);
    const std::string model = id.model.empty() ? "SunSpec device" : id.model;
    std::vector<hepek::Entity> entities;
    hepek::Host::CommandHandler handler;
    std::string interface;
    switch (published.function) {
      case Function::pv: {
        interface = "pv_inverter";
        entities = {sensor("power", "W", "power", "measurement", "AC power"),
                    energy_counter("energy", "Energy produced"),
                    sensor("dc_power", "W", "power", "measurement", "DC power"),
                    sensor("temperature", "°C", "temperature", "measurement"),
                    text_sensor("state"),
                    sensor("limit_pct", "%", "", "measurement", "Power limit")};
        for (const auto& field : fields)
          if (field.rfind("dc_power_", 0) == 0)
            entities.push_back(sensor(field, "W", "power", "measurement", "DC power " + field.substr(9)));
        const double rating = pv_rating_w(latest_).value_or(1e7);
        const double expiry = pv_expiry_limit(map_).value_or(0xFFFF);
        entities.push_back(number_command("limit_w", 0, rating, "W", "power", "Power limit"));
        entities.push_back(number_command("expires_s", 1, std::min<double>(expiry, 7 * 86400), "s",
                                          "duration", "Limit lifetime"));
        handler = [this](const nlohmann::json& command) { return on_pv_command(command); };
        break;
      }
      case Function::battery: {
        interface = "battery";
        const double rating = battery_rating_w(latest_).value_or(1e6);
        const double expiry = battery_expiry_limit(map_).value_or(0xFFFF);
        entities = {sensor("soc", "%", "battery", "measurement", "State of charge"),
                    sensor("power", "W", "power", "measurement", "Power (+ discharge)"),
                    energy_counter("charge_energy", "Energy charged"),
                    energy_counter("discharge_energy", "Energy discharged"),
                    text_sensor("state"),
                    text_sensor("control"),
                    number_command("setpoint_w", -rating, rating, "W", "power", "Setpoint (+ discharge)"),
                    number_command("expires_s", 1, std::min<double>(expiry, 7 * 86400), "s", "duration",
                                   "Setpoint lifetime")};
        handler = [this](const nlohmann::json& command) { return on_battery_command(command); };
        break;
      }
      case Function::meter:
        interface = "grid_meter";
        entities = {sensor("power", "W", "power", "measurement", "Power (+ import)"),
                    energy_counter("energy_import", "Energy imported"),
                    energy_counter("energy_export", "Energy exported")};
        break;
    }
    hepek::Device device(name, model, entities, model, id.manufacturer);
    device.implements(interface, published.function == Function::meter ? config_.meter_role : "");
    host().announce(device, handler);
  }

  // Reads the control model fresh (its scale factors), plans, writes, reads back.
  Status run_control(uint16_t control_model,
                     const std::function<Result<ControlPlan>(const DeviceMap&, const Snapshot&)>& plan_for) {
    Snapshot ratings;
    {
      std::lock_guard lock(mutex_);
      ratings = latest_;
    }
    return poller_.with_device([&](RegisterWriter& link, const DeviceMap& map) -> Status {
      const auto location = locations_of(map, {control_model});
      RegisterImage image;
      ReadPlan plan(plan_blocks(location));
      const PollOutcome outcome = plan.execute(link, image);
      if (outcome.link_failed) return Status::failure(outcome.error);
      Snapshot fresh = decode_locations(location, image);
      for (auto& model : ratings.models)
        if (model.location.id != control_model) fresh.models.push_back(model);
      const auto control = plan_for(map, fresh);
      if (!control) return Status::failure(link.describe() + ": " + control.error());
      if (Status done = execute_plan(link, *control); !done) return done;
      host().info(fmt::format("{}: {} (written and read back)", link.describe(), control->summary));
      return Status::success();
    });
  }

  hepek::CommandResult on_battery_command(const nlohmann::json& command) {
    const auto setpoint = payloads::BatterySetpoint::parse(command);
    if (!setpoint) return hepek::CommandResult::rejected(setpoint.error());
    const auto expires = static_cast<uint32_t>(setpoint->expires_s.value_or(config_.default_expires_s));
    const uint16_t model = map_has(124) ? 124 : 704;
    return run_control(model, [&](const DeviceMap& map, const Snapshot& snapshot) {
      return plan_battery_setpoint(map, snapshot, static_cast<double>(setpoint->setpoint_w), expires);
    });
  }

  hepek::CommandResult on_pv_command(const nlohmann::json& command) {
    if (!command.contains("limit_w") || !command["limit_w"].is_number())
      return hepek::CommandResult::rejected("a PV command needs \"limit_w\" (W)");
    const double limit = command["limit_w"].get<double>();
    uint32_t expires = config_.default_expires_s;
    if (command.contains("expires_s")) {
      if (!command["expires_s"].is_number() || command["expires_s"].get<double>() < 1)
        return hepek::CommandResult::rejected("\"expires_s\" must be a number of seconds, at least 1");
      expires = static_cast<uint32_t>(command["expires_s"].get<double>());
    }
    const uint16_t model = map_has(123) ? 123 : 704;
    return run_control(model, [&](const DeviceMap& map, const Snapshot& snapshot) {
      return plan_pv_limit(map, snapshot, limit, expires);
    });
  }

  bool map_has(uint16_t id) {
    std::lock_guard lock(mutex_);
    return map_.find(id) != nullptr;
  }

  PluginConfig config_;
  std::mutex mutex_;  // everything below; the poller's callbacks and the hub thread's commands meet here
  DeviceMap map_;
  Snapshot static_;  // every model, read once at discovery
  Snapshot latest_;  // static_ with the last poll's models in place
  std::map<std::string, Published> devices_;
  bool online_ = false;
  bool faults_logged_ = false;
  uint64_t failures_ = 0;
  DevicePoller poller_;  // last: its thread stops before the members it uses are destroyed
};

}  // namespace hepek::sunspec

HEPEK_PLUGIN(hepek::sunspec::SunSpecPlugin, "org.hepek.sunspec", "1.0.0")
