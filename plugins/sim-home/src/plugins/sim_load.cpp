// sim-load: a simulated household load, from a household CSV (canonical `time,load_w,pv_w`) or a synthetic
// profile. Publishes, in the sense phase of each step (or on its live timer), the interval's average power
// and a cumulative energy counter, with the interval's exact energy in mWh for the grid meter.
#include <memory>

#include <hepek/plugin.hpp>

#include "csv_series.hpp"
#include "sim_plugin_support.hpp"
#include "synthetic_load.hpp"

namespace hepek::sim {

class SimLoad : public Plugin {
 public:
  static constexpr const char* category = "simulation";
  static constexpr const char* description =
      "Simulated household load (synthetic profile or household CSV replay)";

  static std::vector<ConfigRow> config_schema() {
    return {
        ConfigRow{"source", HEPEK_CONFIG_STRING, "\"synthetic\"", false, "synthetic or csv"}.one_of(
            {"synthetic", "csv"}),
        {"csv", HEPEK_CONFIG_PATH, "\"\"", false, "household CSV (time,load_w,pv_w) when source = csv"},
        {"column", HEPEK_CONFIG_STRING, "\"load_w\"", false, "CSV column to replay"},
        {"scale", HEPEK_CONFIG_FLOAT, "1.0", false, "factor applied to CSV values"},
        {"wrap", HEPEK_CONFIG_BOOLEAN, "false", false, "repeat CSV data by whole weeks outside its range"},
        ConfigRow{"annual_kwh", HEPEK_CONFIG_FLOAT, "3500.0", false, "synthetic: yearly consumption"}
            .at_least(0),
        ConfigRow{"noise", HEPEK_CONFIG_FLOAT, "0.15", false,
                  "synthetic: relative noise (standard deviation)"}
            .at_least(0),
        {"seasonal_amplitude", HEPEK_CONFIG_FLOAT, "0.2", false, "synthetic: winter/summer swing, relative"},
        {"latitude", HEPEK_CONFIG_FLOAT, "", false,
         "synthetic: latitude (sets the hemisphere's seasons); default [hub] latitude"},
        {"timezone", HEPEK_CONFIG_STRING, "\"\"", false,
         "synthetic: IANA zone of the daily rhythm; empty = hub's"},
        {"seed", HEPEK_CONFIG_INTEGER, "0", false,
         "synthetic: noise seed; 0 = from the hub (hepek simulate --seed)"},
        ConfigRow{"step_s", HEPEK_CONFIG_DURATION, "", false, "simulation step; default [hub] step_s"}
            .at_least(1),
        ConfigRow{"period_s", HEPEK_CONFIG_DURATION, "10", false, "live mode: publish period"}.at_least(1),
    };
  }

  SimLoad(Host& host, const nlohmann::json& config)
      : Plugin(host),
        step_ms_(1000 * setting_or_hub(config, host, "step_s").get<std::int64_t>()),
        period_ms_(positive_seconds_ms(config, "period_s")),
        spacing_(step_ms_) {
    const std::string source = config.at("source").get<std::string>();
    if (source == "csv") {
      series_ = csv_series_from_config(config);
    } else if (source == "synthetic") {
      SyntheticLoadOptions options;
      options.annual_kwh = config.at("annual_kwh").get<double>();
      options.noise = config.at("noise").get<double>();
      options.seasonal_amplitude = config.at("seasonal_amplitude").get<double>();
      options.latitude_deg = setting_or_hub(config, host, "latitude").get<double>();
      options.timezone = timezone_or_host(config, host);
      options.seed = seed_of(config, host);
      series_ = std::make_unique<SyntheticLoad>(options);
    } else {
      throw std::invalid_argument("source must be \"synthetic\" or \"csv\", got \"" + source + "\"");
    }
  }

  void start() override {
    host().announce(
        Device{host().id(),
               "Household load (simulated)",
               {sensor("power", "W", "power", "measurement"), energy_counter("energy", "Energy consumed")},
               "sim-load"}
            .implements("load", "household"));
    // Fail fast (the instance refuses to start, naming the data) when the first simulated step has no data.
    if (host().is_simulation()) series_->energy_mwh(host().now_ms(), step_ms_);
    if (!host().is_simulation())
      host().every(static_cast<std::uint64_t>(period_ms_),
                   [this] { publish(live_interval(host().now_ms(), period_ms_)); });
  }

  void step(Phase phase, std::int64_t now_ms) override {
    if (phase != Phase::sense) return;
    spacing_.observe(host(), now_ms);
    publish({now_ms, step_ms_});
  }

  nlohmann::json summary() override {
    nlohmann::json summary = {{"energy_kwh", {{"load", kilowatt_hours_3dp(total_)}}},
                              {"energy_mwh", {{"load", total_}}}};
    errors_.add_to(summary, host().id());
    return summary;
  }

 private:
  // Publishes the interval, or records why there is no reading for it.
  void publish(const Interval& interval) {
    try {
      publish_reading(interval);
    } catch (const std::exception& error) {
      errors_.record(host(), interval.start_ms, error);
    }
  }

  void publish_reading(const Interval& interval) {
    const MilliWattHours energy = series_->energy_mwh(interval.start_ms, interval.duration_ms);
    total_ += energy;
    nlohmann::json window = interval_json(interval);
    window["energy_mwh"] = energy;
    host().publish_state(host().id(),
                         {{"power", round_power_w(average_power_w(energy, interval.duration_ms))},
                          {"energy", watt_hours(total_)},
                          {"interval", window}});
  }

  std::int64_t step_ms_;
  std::int64_t period_ms_;
  StepSpacingCheck spacing_;
  StepErrors errors_;
  std::unique_ptr<PowerSeries> series_;
  MilliWattHours total_ = 0;
};

}  // namespace hepek::sim

HEPEK_PLUGIN(hepek::sim::SimLoad, "org.hepek.sim.load", "1.0.0")
