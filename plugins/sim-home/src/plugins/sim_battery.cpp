// sim-battery: a simulated home battery. Accepts {"setpoint_w": W, "expires_s": s} (+ = discharge); without a
// fresh setpoint it does self-consumption (charge from surplus PV, discharge to cover load). In the sense
// phase it publishes its SoC; in the act phase it decides its power for the step from that step's load and PV
// (published in sense), the latest setpoint (decide) and the relay, and publishes it with the step's exact
// energies.
#include <set>

#include <hepek/plugin.hpp>

#include "battery_model.hpp"
#include "device_inputs.hpp"
#include "device_metadata.hpp"
#include "sim_plugin_support.hpp"

namespace hepek::sim {

class SimBattery : public Plugin {
 public:
  static constexpr const char* category = "simulation";
  static constexpr const char* description = "Simulated home battery with setpoints that expire";

  static std::vector<ConfigRow> config_schema() {
    return {
        ConfigRow{"capacity_wh", HEPEK_CONFIG_FLOAT, "10000.0", false, "usable capacity at 100 % SoC"}
            .greater_than(0),
        ConfigRow{"max_charge_w", HEPEK_CONFIG_FLOAT, "5000.0", false, "AC charge power limit"}.at_least(0),
        ConfigRow{"max_discharge_w", HEPEK_CONFIG_FLOAT, "5000.0", false, "AC discharge power limit"}
            .at_least(0),
        ConfigRow{"charge_efficiency", HEPEK_CONFIG_FLOAT, "0.95", false, "AC to stored"}
            .greater_than(0)
            .at_most(1),
        ConfigRow{"discharge_efficiency", HEPEK_CONFIG_FLOAT, "0.95", false, "stored to AC"}
            .greater_than(0)
            .at_most(1),
        ConfigRow{"soc_min_pct", HEPEK_CONFIG_FLOAT, "5.0", false, "lowest SoC it discharges to"}.between(
            0, 100),
        ConfigRow{"soc_max_pct", HEPEK_CONFIG_FLOAT, "100.0", false, "highest SoC it charges to"}.between(
            0, 100),
        ConfigRow{"self_discharge_pct_per_day", HEPEK_CONFIG_FLOAT, "0.1", false,
                  "self-discharge, % of content per day"}
            .between(0, 100),
        ConfigRow{"initial_soc_pct", HEPEK_CONFIG_FLOAT, "50.0", false, "SoC at start"}.between(0, 100),
        ConfigRow{"default_expires_s", HEPEK_CONFIG_FLOAT, "900.0", false,
                  "setpoint lifetime when a command has no expires_s"}
            .greater_than(0),
        {"load", HEPEK_CONFIG_STRING, "\"load\"", false, "device id of the household load"},
        {"pv", HEPEK_CONFIG_STRING, "\"pv\"", false, "device id of the PV inverter; empty = none"},
        {"relay", HEPEK_CONFIG_STRING, "\"\"", false, "device id of the supply relay; empty = none"},
        ConfigRow{"step_s", HEPEK_CONFIG_DURATION, "", false, "simulation step; default [hub] step_s"}
            .at_least(1),
        ConfigRow{"period_s", HEPEK_CONFIG_DURATION, "10", false, "live mode: control period"}.at_least(1),
    };
  }

  SimBattery(Host& host, const nlohmann::json& config)
      : Plugin(host),
        battery_(options(config)),
        max_charge_w_(config.at("max_charge_w").get<double>()),
        max_discharge_w_(config.at("max_discharge_w").get<double>()),
        default_expires_s_(config.at("default_expires_s").get<double>()),
        load_device_(config.at("load").get<std::string>()),
        pv_device_(config.at("pv").get<std::string>()),
        relay_device_(config.at("relay").get<std::string>()),
        step_ms_(1000 * setting_or_hub(config, host, "step_s").get<std::int64_t>()),
        period_ms_(positive_seconds_ms(config, "period_s")),
        spacing_(step_ms_) {
    if (!(default_expires_s_ > 0)) throw std::invalid_argument("default_expires_s must be > 0");
  }

  void start() override {
    for (const std::string& device : {load_device_, pv_device_}) {
      if (device.empty()) continue;
      host().subscribe(topics::state(device), [this, device](const Message& message) {
        const auto state = parse_json_object(message.payload);
        if (!state || !inputs_[device].remember(*state))
          host().warn("ignoring a state of " + device +
                      " without an interval: " + std::string(message.payload));
      });
    }
    if (!relay_device_.empty())
      host().subscribe(topics::state(relay_device_), [this](const Message& message) {
        if (const auto state = parse_json_object(message.payload)) grid_connected_ = relay_connected(*state);
      });
    host().announce(battery_device(host().id(), max_charge_w_, max_discharge_w_),
                    [this](const nlohmann::json& command) { return on_command(command); });
    if (!host().is_simulation()) {
      publish_state(nullptr);
      host().every(static_cast<std::uint64_t>(period_ms_),
                   [this] { act(live_interval(host().now_ms(), period_ms_), /*live=*/true); });
    }
  }

  void step(Phase phase, std::int64_t now_ms) override {
    if (phase == Phase::sense) {
      spacing_.observe(host(), now_ms);
      publish_state(nullptr);
    } else if (phase == Phase::act) {
      act({now_ms, step_ms_}, /*live=*/false);
    }
  }

  nlohmann::json summary() override {
    return {{"energy_kwh",
             {{"battery_charge", kilowatt_hours_3dp(charged_)},
              {"battery_discharge", kilowatt_hours_3dp(discharged_)}}},
            {"energy_mwh", {{"battery_charge", charged_}, {"battery_discharge", discharged_}}},
            {"battery",
             {{"soc_end_pct", round_decimals(battery_.soc_pct(), 1)},
              {"conversion_loss_kwh", kilowatt_hours_3dp(conversion_loss_)},
              {"self_discharge_kwh", kilowatt_hours_3dp(self_discharge_)},
              {"setpoint_steps", setpoint_steps_}}}};
  }

 private:
  static BatteryOptions options(const nlohmann::json& config) {
    BatteryOptions o;
    o.capacity_wh = config.at("capacity_wh").get<double>();
    o.max_charge_w = config.at("max_charge_w").get<double>();
    o.max_discharge_w = config.at("max_discharge_w").get<double>();
    o.charge_efficiency = config.at("charge_efficiency").get<double>();
    o.discharge_efficiency = config.at("discharge_efficiency").get<double>();
    o.soc_min_pct = config.at("soc_min_pct").get<double>();
    o.soc_max_pct = config.at("soc_max_pct").get<double>();
    o.self_discharge_pct_per_day = config.at("self_discharge_pct_per_day").get<double>();
    o.initial_soc_pct = config.at("initial_soc_pct").get<double>();
    return o;
  }

  CommandResult on_command(const nlohmann::json& command) {
    if (!command.contains("setpoint_w")) return "a battery command needs \"setpoint_w\" (W, + = discharge)";
    const double expires_s = command.value("expires_s", default_expires_s_);
    battery_.set_setpoint(command.at("setpoint_w").get<double>(), host().now_ms(), expires_s);
    return {};
  }

  MilliWattHours input_energy(const std::string& device, std::int64_t start_ms, bool live) {
    if (device.empty()) return 0;
    DeviceInputs& inputs = inputs_[device];
    if (const auto exact = inputs.energy(start_ms, "energy_mwh")) return *exact;
    if (!live && missing_warned_.insert(device).second)
      host().warn("no " + device + " reading for the step at " + iso8601_utc(start_ms) +
                  "; assuming 0 (warned once per device)");
    return inputs.latest("energy_mwh").value_or(0);  // live: timers are not aligned, use the latest reading
  }

  void act(const Interval& interval, bool live) {
    const BatteryStepInput input{interval.start_ms, interval.duration_ms,
                                 input_energy(load_device_, interval.start_ms, live),
                                 input_energy(pv_device_, interval.start_ms, live), grid_connected_};
    const BatteryStepResult result = battery_.step(input);
    charged_ += result.charge;
    discharged_ += result.discharge;
    conversion_loss_ += result.conversion_loss;
    self_discharge_ += result.self_discharge;
    setpoint_steps_ += result.followed_setpoint;
    last_power_w_ = result.power_w();
    mode_ = result.followed_setpoint ? "setpoint" : grid_connected_ ? "self-consumption" : "islanded";
    nlohmann::json window = interval_json(interval);
    window["charge_mwh"] = result.charge;
    window["discharge_mwh"] = result.discharge;
    publish_state(window);
  }

  void publish_state(const nlohmann::json& interval) {
    nlohmann::json state = {{"soc", round_decimals(battery_.soc_pct(), 2)},
                            {"power", round_power_w(last_power_w_)},
                            {"charge_energy", watt_hours(charged_)},
                            {"discharge_energy", watt_hours(discharged_)},
                            {"mode", mode_}};
    if (!interval.is_null()) state["interval"] = interval;
    host().publish_state(host().id(), state);
  }

  Battery battery_;
  double max_charge_w_, max_discharge_w_, default_expires_s_;
  std::string load_device_, pv_device_, relay_device_;
  std::int64_t step_ms_, period_ms_;
  StepSpacingCheck spacing_;
  std::map<std::string, DeviceInputs> inputs_;
  std::set<std::string> missing_warned_;
  bool grid_connected_ = true;
  double last_power_w_ = 0;
  std::string mode_ = "self-consumption";
  MilliWattHours charged_ = 0, discharged_ = 0, conversion_loss_ = 0, self_discharge_ = 0;
  std::int64_t setpoint_steps_ = 0;
};

}  // namespace hepek::sim

HEPEK_PLUGIN(hepek::sim::SimBattery, "org.hepek.sim.battery", "1.0.0")
