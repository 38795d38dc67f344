// sim-house: a simulated house with an air-to-air heat pump (AC). The RC thermal model with solar and internal
// gains (house_model.hpp), outdoor temperature replayed from a CSV (`time,temp_c`), internal gains from the
// household load's interval energy (a fraction becomes heat), and a thermostat driven by the `climate`
// interface. Two devices: hepek/<id> (climate: indoor temperature, setpoint, mode, action, electric power) and
// hepek/<id>-outdoor (temperature_sensor, role outdoor).
//
// Step: sense publishes the outdoor temperature and the indoor state at the step start; act (after decide's
// commands) runs the AC over the step and publishes the climate state with the AC's interval energy
// (`interval.energy_mwh`) for the grid meter. Commands: target_temperature, hvac_mode; with expires_s a
// temporary override that lapses back to the user's own setpoint and mode; without, the user's own setting
// (which also ends an override).
#include <limits>
#include <memory>
#include <set>

#include <hepek/interfaces.hpp>
#include <hepek/plugin.hpp>

#include "csv_series.hpp"
#include "device_inputs.hpp"
#include "device_metadata.hpp"
#include "house_model.hpp"
#include "sim_plugin_support.hpp"
#include "thermostat_setting.hpp"

namespace hepek::sim {

class SimHouse : public Plugin {
 public:
  static constexpr const char* category = "simulation";
  static constexpr const char* description =
      "Simulated house (RC thermal model, sun through windows, internal gains) with an AC/heat pump";

  static std::vector<TopicGrant> topics() { return {{"hepek/{id}-outdoor/#", HEPEK_ACCESS_BOTH}}; }

  static std::vector<ConfigRow> config_schema() {
    return {
        {"outdoor_csv", HEPEK_CONFIG_PATH, "\"\"", true, "outdoor temperature CSV (time,temp_c)"},
        {"outdoor_column", HEPEK_CONFIG_STRING, "\"temp_c\"", false, "column of outdoor_csv"},
        {"wrap", HEPEK_CONFIG_BOOLEAN, "false", false,
         "outdoor_csv: repeat it by whole weeks outside its range"},
        {"load", HEPEK_CONFIG_STRING, "\"load\"", false, "device id of the household load; empty = none"},
        ConfigRow{"internal_gain_fraction", HEPEK_CONFIG_FLOAT, "0.7", false,
                  "share of the household load's energy that heats the house"}
            .between(0, 1),
        ConfigRow{"ci_kwh_per_k", HEPEK_CONFIG_FLOAT, "2.1", false, "heat capacity of the indoor air node"}
            .greater_than(0),
        ConfigRow{"cm_kwh_per_k", HEPEK_CONFIG_FLOAT, "6.9", false, "heat capacity of the building mass"}
            .greater_than(0),
        ConfigRow{"ria_k_per_kw", HEPEK_CONFIG_FLOAT, "6.67", false, "air to outdoor resistance (1/HTC)"}
            .greater_than(0),
        ConfigRow{"rim_k_per_kw", HEPEK_CONFIG_FLOAT, "0.29", false, "air to mass resistance"}.greater_than(
            0),
        ConfigRow{"window_area_m2", HEPEK_CONFIG_FLOAT, "8.0", false, "glazing area"}.at_least(0),
        ConfigRow{"window_g_value", HEPEK_CONFIG_FLOAT, "0.6", false, "solar heat gain coefficient"}.between(
            0, 1),
        ConfigRow{"window_azimuth", HEPEK_CONFIG_FLOAT, "180.0", false,
                  "direction the windows face (180 = S)"}
            .between(0, 360),
        ConfigRow{"mean_cloudiness", HEPEK_CONFIG_FLOAT, "0.65", false,
                  "synthetic clouds on the windows, 0..1"}
            .between(0, 1),
        {"seed", HEPEK_CONFIG_INTEGER, "0", false,
         "cloud seed; 0 = from the hub (the same seed and mean_cloudiness as sim-pv give the same clouds)"},
        {"latitude", HEPEK_CONFIG_FLOAT, "", false, "default [hub] latitude"},
        {"longitude", HEPEK_CONFIG_FLOAT, "", false, "default [hub] longitude"},
        ConfigRow{"hvac_mode", HEPEK_CONFIG_STRING, "\"auto\"", false, "user's mode: off, heat, cool, auto"}
            .one_of({"off", "heat", "cool", "auto"}),
        ConfigRow{"target_temperature", HEPEK_CONFIG_FLOAT, "21.0", false, "user's setpoint, °C"}.between(5,
                                                                                                          35),
        ConfigRow{"deadband_k", HEPEK_CONFIG_FLOAT, "2.0", false,
                  "auto: heat below setpoint − deadband/2, cool above setpoint + deadband/2"}
            .at_least(0),
        {"comfort_min", HEPEK_CONFIG_FLOAT, "19.0", false, "comfort band, lower edge, °C"},
        {"comfort_max", HEPEK_CONFIG_FLOAT, "25.0", false, "comfort band, upper edge, °C"},
        ConfigRow{"max_thermal_w", HEPEK_CONFIG_FLOAT, "5000.0", false, "AC heating/cooling capacity"}
            .at_least(0),
        ConfigRow{"max_electric_w", HEPEK_CONFIG_FLOAT, "1800.0", false, "AC electric input limit"}.at_least(
            0),
        ConfigRow{"carnot_efficiency", HEPEK_CONFIG_FLOAT, "0.45", false, "COP = this × Carnot COP"}
            .greater_than(0)
            .at_most(1),
        ConfigRow{"approach_k", HEPEK_CONFIG_FLOAT, "10.0", false, "heat-exchanger approach temperature"}
            .at_least(0),
        ConfigRow{"cop_min", HEPEK_CONFIG_FLOAT, "1.0", false, "COP/EER lower cap"}.greater_than(0),
        ConfigRow{"cop_max", HEPEK_CONFIG_FLOAT, "7.0", false, "COP/EER upper cap"}.greater_than(0),
        {"initial_indoor_c", HEPEK_CONFIG_FLOAT, "21.0", false, "indoor and mass temperature at start"},
        ConfigRow{"step_s", HEPEK_CONFIG_DURATION, "", false, "simulation step; default [hub] step_s"}
            .at_least(1),
        ConfigRow{"period_s", HEPEK_CONFIG_DURATION, "60", false, "live mode: period"}.at_least(1),
    };
  }

  SimHouse(Host& host, const nlohmann::json& config)
      : Plugin(host),
        house_(house_options(config, host),
               std::make_unique<SyntheticCloudiness>(seed_of(config, host),
                                                     config.at("mean_cloudiness").get<double>(),
                                                     setting_or_hub(config, host, "latitude").get<double>())),
        outdoor_(CsvSeriesOptions{config.at("outdoor_csv").get<std::string>(),
                                  config.at("outdoor_column").get<std::string>(), 1.0,
                                  config.at("wrap").get<bool>()}),
        load_device_(config.at("load").get<std::string>()),
        internal_fraction_(config.at("internal_gain_fraction").get<double>()),
        setting_({hvac_mode_of(config.at("hvac_mode").get<std::string>()),
                  config.at("target_temperature").get<double>(), config.at("deadband_k").get<double>()}),
        comfort_min_(config.at("comfort_min").get<double>()),
        comfort_max_(config.at("comfort_max").get<double>()),
        step_ms_(1000 * setting_or_hub(config, host, "step_s").get<std::int64_t>()),
        period_ms_(positive_seconds_ms(config, "period_s")),
        spacing_(step_ms_) {
    if (comfort_max_ < comfort_min_) throw std::invalid_argument("comfort_max must be >= comfort_min");
  }

  void start() override {
    if (!load_device_.empty())
      host().subscribe(topics::state(load_device_), [this](const Message& message) {
        const auto state = parse_json_object(message.payload);
        if (!state || !load_.remember(*state))
          host().warn("ignoring a state of " + load_device_ + " without an interval");
      });
    host().announce(house_climate_device(host().id()),
                    [this](const nlohmann::json& command) { return on_command(command); });
    host().announce(outdoor_thermometer_device(outdoor_id()));
    // Fail fast (the instance refuses to start, naming the file) when the first step has no outdoor data.
    if (host().is_simulation()) outdoor_.average_power_w(host().now_ms(), step_ms_);
    if (!host().is_simulation())
      host().every(static_cast<std::uint64_t>(period_ms_), [this] {
        const Interval interval = live_interval(host().now_ms(), period_ms_);
        sense(interval);
        act(interval, /*live=*/true);
      });
  }

  void step(Phase phase, std::int64_t now_ms) override {
    if (phase == Phase::sense) {
      spacing_.observe(host(), now_ms);
      sense({now_ms, step_ms_});
    } else if (phase == Phase::act) {
      act({now_ms, step_ms_}, /*live=*/false);
    }
  }

  nlohmann::json summary() override {
    const double hours = static_cast<double>(steps_) * static_cast<double>(step_ms_) / kMillisPerHour;
    auto number = [](double value, int decimals) {
      return std::isfinite(value) ? nlohmann::json(round_decimals(value, decimals)) : nlohmann::json(nullptr);
    };
    nlohmann::json summary = {
        {"energy_kwh", {{"ac", kilowatt_hours_3dp(electric_)}}},
        {"energy_mwh", {{"ac", electric_}}},
        {"house",
         {{"indoor_temp_c_min", number(indoor_min_, 2)},
          {"indoor_temp_c_max", number(indoor_max_, 2)},
          {"indoor_temp_c_mean", number(steps_ ? indoor_sum_ / steps_ : NAN, 2)},
          {"outdoor_temp_c_min", number(outdoor_min_, 2)},
          {"outdoor_temp_c_max", number(outdoor_max_, 2)},
          {"ac_energy_kwh", kilowatt_hours_3dp(electric_)},
          {"ac_thermal_kwh", round_decimals(heating_kwh_ + cooling_kwh_, 3)},
          {"ac_heating_kwh", round_decimals(heating_kwh_, 3)},
          {"ac_cooling_kwh", round_decimals(cooling_kwh_, 3)},
          {"comfort_violation_degree_hours", round_decimals(violation_kh_, 2)},
          {"hours_outside_comfort", round_decimals(hours_outside_, 2)},
          {"mean_cop",
           electric_ > 0 ? round_decimals((heating_kwh_ + cooling_kwh_) * 1e6 / electric_, 3) : 0.0},
          {"solar_gain_kwh", round_decimals(solar_kwh_, 3)},
          {"internal_gain_kwh", round_decimals(internal_kwh_, 3)},
          {"hours", round_decimals(hours, 2)}}}};
    errors_.add_to(summary, host().id());
    return summary;
  }

 private:
  static HouseOptions house_options(const nlohmann::json& config, const Host& host) {
    HouseOptions o;
    o.rc = {config.at("ci_kwh_per_k").get<double>(), config.at("cm_kwh_per_k").get<double>(),
            config.at("ria_k_per_kw").get<double>(), config.at("rim_k_per_kw").get<double>()};
    o.unit.carnot_efficiency = config.at("carnot_efficiency").get<double>();
    o.unit.approach_k = config.at("approach_k").get<double>();
    o.unit.cop_min = config.at("cop_min").get<double>();
    o.unit.cop_max = config.at("cop_max").get<double>();
    o.unit.max_thermal_kw = config.at("max_thermal_w").get<double>() / 1000.0;
    o.unit.max_electric_kw = config.at("max_electric_w").get<double>() / 1000.0;
    o.latitude_deg = setting_or_hub(config, host, "latitude").get<double>();
    o.longitude_deg = setting_or_hub(config, host, "longitude").get<double>();
    o.window_area_m2 = config.at("window_area_m2").get<double>();
    o.window_g_value = config.at("window_g_value").get<double>();
    o.window_azimuth_deg = config.at("window_azimuth").get<double>();
    o.initial_indoor_c = config.at("initial_indoor_c").get<double>();
    return o;
  }

  std::string outdoor_id() const { return host().id() + "-outdoor"; }

  CommandResult on_command(const nlohmann::json& command) {
    if (!command.contains("target_temperature") && !command.contains("hvac_mode"))
      return "a climate command needs \"target_temperature\" or \"hvac_mode\"";
    std::optional<double> setpoint, expires;
    std::optional<HvacMode> mode;
    if (command.contains("target_temperature")) setpoint = command.at("target_temperature").get<double>();
    if (command.contains("hvac_mode")) mode = hvac_mode_of(command.at("hvac_mode").get<std::string>());
    if (command.contains("expires_s")) expires = command.at("expires_s").get<double>();
    setting_.apply(setpoint, mode, expires, host().now_ms());
    return {};
  }

  void sense(const Interval& interval) {
    try {
      outdoor_c_ = outdoor_.average_power_w(interval.start_ms, interval.duration_ms);
    } catch (const std::exception& error) {
      errors_.record(host(), interval.start_ms, error);
      outdoor_c_.reset();
    }
    if (outdoor_c_) host().publish_state(outdoor_id(), {{"temperature", round_decimals(*outdoor_c_, 2)}});
    publish_climate(setting_.in_effect(interval.start_ms), nullptr);
  }

  double internal_gain_kw(const Interval& interval, bool live) {
    if (load_device_.empty()) return 0;
    auto energy = load_.energy(interval.start_ms, "energy_mwh");
    if (!energy && live) energy = load_.latest("energy_mwh");
    if (!energy) {
      if (!live && !missing_load_warned_)
        host().warn("no " + load_device_ + " reading for a step; no internal gains");
      missing_load_warned_ = true;
      return 0;
    }
    return internal_fraction_ * average_power_w(*energy, interval.duration_ms) / 1000.0;
  }

  void act(const Interval& interval, bool live) {
    if (!outdoor_c_) return;  // recorded in sense; nothing to integrate
    const HvacRequest request = setting_.in_effect(interval.start_ms);
    const double internal_kw = internal_gain_kw(interval, live);
    const HouseStep result =
        house_.step(interval.start_ms, interval.duration_ms, *outdoor_c_, internal_kw, request);
    load_.forget_through(interval.start_ms);
    const double hours = static_cast<double>(interval.duration_ms) / kMillisPerHour;
    electric_ += result.electric_mwh;
    (result.hvac.thermal_kw > 0 ? heating_kwh_ : cooling_kwh_) += result.thermal_kwh;
    solar_kwh_ += result.solar_kw * hours;
    internal_kwh_ += internal_kw * hours;
    const double mean = result.thermal.mean_indoor_c, end = result.thermal.end.indoor_c;
    indoor_min_ = std::min({indoor_min_, end, mean});
    indoor_max_ = std::max({indoor_max_, end, mean});
    outdoor_min_ = std::min(outdoor_min_, *outdoor_c_);
    outdoor_max_ = std::max(outdoor_max_, *outdoor_c_);
    indoor_sum_ += mean;
    const double outside = std::max({0.0, comfort_min_ - mean, mean - comfort_max_});
    violation_kh_ += outside * hours;
    if (outside > 0) hours_outside_ += hours;
    ++steps_;
    action_ = result.hvac.action;
    power_w_ = average_power_w(result.electric_mwh, interval.duration_ms);
    nlohmann::json window = interval_json(interval);
    window["energy_mwh"] = result.electric_mwh;
    publish_climate(request, window);
  }

  void publish_climate(const HvacRequest& request, const nlohmann::json& interval) {
    const auto until = setting_.override_until_ms();
    nlohmann::json state = {
        {"temperature", round_decimals(house_.state().indoor_c, 2)},
        {"target_temperature", request.setpoint_c},
        {"hvac_mode", hvac_mode_name(request.mode)},
        {"hvac_action", request.mode == HvacMode::off ? "off" : action_},
        {"power", round_power_w(power_w_)},
        {"power_estimated", false},
        {"comfort_min", comfort_min_},
        {"comfort_max", comfort_max_},
        {"override_until", until ? nlohmann::json(iso8601_utc(*until)) : nlohmann::json(nullptr)},
        {"energy", watt_hours(electric_)}};
    if (!interval.is_null()) state["interval"] = interval;
    host().publish_state(host().id(), state);
  }

  House house_;
  CsvSeries outdoor_;
  std::string load_device_;
  double internal_fraction_;
  ThermostatSetting setting_;
  double comfort_min_, comfort_max_;
  std::int64_t step_ms_, period_ms_;
  StepSpacingCheck spacing_;
  StepErrors errors_;
  DeviceInputs load_;
  bool missing_load_warned_ = false;
  std::optional<double> outdoor_c_;
  std::string action_ = "idle";
  double power_w_ = 0;
  MilliWattHours electric_ = 0;
  double heating_kwh_ = 0, cooling_kwh_ = 0, solar_kwh_ = 0, internal_kwh_ = 0;
  double indoor_min_ = std::numeric_limits<double>::infinity(),
         indoor_max_ = -std::numeric_limits<double>::infinity();
  double outdoor_min_ = std::numeric_limits<double>::infinity(),
         outdoor_max_ = -std::numeric_limits<double>::infinity();
  double indoor_sum_ = 0, violation_kh_ = 0, hours_outside_ = 0;
  std::int64_t steps_ = 0;
};

}  // namespace hepek::sim

HEPEK_PLUGIN(hepek::sim::SimHouse, "org.hepek.sim.house", "1.0.0")
