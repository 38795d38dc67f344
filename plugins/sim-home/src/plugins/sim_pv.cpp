// sim-pv: a simulated PV inverter. Clear-sky plane-of-array model at the configured place and orientation
// times a cloudiness series (seeded synthetic, from a CSV, or none), or a replay of a CSV column (e.g. a
// household CSV's pv_w) scaled. Accepts {"limit_w": W} to curtail. Publishes in the sense phase (or on its
// live timer).
#include <limits>
#include <memory>

#include <hepek/plugin.hpp>

#include "csv_series.hpp"
#include "pv_model.hpp"
#include "sim_plugin_support.hpp"

namespace hepek::sim {

class SimPv : public Plugin {
 public:
  static constexpr const char* category = "simulation";
  static constexpr const char* description = "Simulated PV inverter (sun position and clouds, or CSV replay)";

  static std::vector<ConfigRow> config_schema() {
    return {
        ConfigRow{"source", HEPEK_CONFIG_STRING, "\"clear-sky\"", false,
                  "clear-sky (sun model x clouds) or csv (replay)"}
            .one_of({"clear-sky", "csv"}),
        ConfigRow{"latitude", HEPEK_CONFIG_FLOAT, "", false, "degrees north; default [hub] latitude"}.between(
            -90, 90),
        ConfigRow{"longitude", HEPEK_CONFIG_FLOAT, "", false, "degrees east; default [hub] longitude"}
            .between(-180, 180),
        ConfigRow{"tilt", HEPEK_CONFIG_FLOAT, "35.0", false, "panel tilt, degrees from horizontal"}.between(
            0, 90),
        {"azimuth", HEPEK_CONFIG_FLOAT, "180.0", false,
         "panel azimuth, degrees clockwise from north (180 = south)"},
        ConfigRow{"kwp", HEPEK_CONFIG_FLOAT, "5.0", false, "array peak power"}.at_least(0),
        ConfigRow{"inverter_kw", HEPEK_CONFIG_FLOAT, "0.0", false, "inverter AC limit; 0 = kwp"}.at_least(0),
        ConfigRow{"performance_ratio", HEPEK_CONFIG_FLOAT, "0.85", false, "DC to AC losses"}.between(0, 1),
        ConfigRow{"clouds", HEPEK_CONFIG_STRING, "\"synthetic\"", false, "synthetic, csv or none"}.one_of(
            {"synthetic", "csv", "none"}),
        ConfigRow{"mean_cloudiness", HEPEK_CONFIG_FLOAT, "0.65", false,
                  "synthetic clouds: mean cloudiness 0..1"}
            .between(0, 1),
        {"cloud_csv", HEPEK_CONFIG_PATH, "\"\"", false, "clouds = csv: file with time,<cloud_column> (0..1)"},
        {"cloud_column", HEPEK_CONFIG_STRING, "\"cloudiness\"", false, "column of cloud_csv"},
        {"csv", HEPEK_CONFIG_PATH, "\"\"", false, "source = csv: file to replay"},
        {"column", HEPEK_CONFIG_STRING, "\"pv_w\"", false, "source = csv: column to replay (W)"},
        {"scale", HEPEK_CONFIG_FLOAT, "1.0", false, "source = csv: factor, e.g. kWp ratio"},
        {"wrap", HEPEK_CONFIG_BOOLEAN, "false", false, "repeat CSV data by whole weeks outside its range"},
        {"seed", HEPEK_CONFIG_INTEGER, "0", false,
         "synthetic clouds seed; 0 = from the hub (hepek simulate --seed)"},
        ConfigRow{"step_s", HEPEK_CONFIG_DURATION, "", false, "simulation step; default [hub] step_s"}
            .at_least(1),
        ConfigRow{"period_s", HEPEK_CONFIG_DURATION, "10", false, "live mode: publish period"}.at_least(1),
    };
  }

  SimPv(Host& host, const nlohmann::json& config)
      : Plugin(host),
        step_ms_(1000 * setting_or_hub(config, host, "step_s").get<std::int64_t>()),
        period_ms_(positive_seconds_ms(config, "period_s")),
        spacing_(step_ms_) {
    const std::string source = config.at("source").get<std::string>();
    if (source == "csv") {
      series_ = csv_series_from_config(config);
    } else if (source == "clear-sky") {
      PvArray array;
      array.latitude_deg = setting_or_hub(config, host, "latitude").get<double>();
      array.longitude_deg = setting_or_hub(config, host, "longitude").get<double>();
      array.tilt_deg = config.at("tilt").get<double>();
      array.azimuth_deg = config.at("azimuth").get<double>();
      array.kwp = config.at("kwp").get<double>();
      array.inverter_kw = config.at("inverter_kw").get<double>();
      array.performance_ratio = config.at("performance_ratio").get<double>();
      series_ = std::make_unique<PvSource>(ClearSkyPv(array), clouds(config, host, array.latitude_deg));
    } else {
      throw std::invalid_argument("source must be \"clear-sky\" or \"csv\", got \"" + source + "\"");
    }
  }

  void start() override {
    host().announce(
        Device{host().id(),
               "PV inverter (simulated)",
               {sensor("power", "W", "power", "measurement"), energy_counter("energy", "Energy produced"),
                energy_counter("curtailed_energy", "Energy curtailed"),
                number_command("limit_w", 0, 1e7, "W", "power", "Power limit")},
               "sim-pv"}
            .implements("pv_inverter"),
        [this](const nlohmann::json& command) -> CommandResult {
          limit_w_ = command.at("limit_w").get<double>();
          return {};
        });
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
    nlohmann::json summary = {
        {"energy_kwh",
         {{"pv", kilowatt_hours_3dp(total_)}, {"pv_curtailed", kilowatt_hours_3dp(curtailed_)}}},
        {"energy_mwh", {{"pv", total_}, {"pv_curtailed", curtailed_}}}};
    errors_.add_to(summary, host().id());
    return summary;
  }

 private:
  static std::unique_ptr<CloudSeries> clouds(const nlohmann::json& config, const Host& host,
                                             double latitude) {
    const std::string kind = config.at("clouds").get<std::string>();
    if (kind == "none") return nullptr;
    if (kind == "synthetic")
      return std::make_unique<SyntheticCloudiness>(seed_of(config, host),
                                                   config.at("mean_cloudiness").get<double>(), latitude);
    if (kind == "csv") {
      const std::string path = config.at("cloud_csv").get<std::string>();
      if (path.empty()) throw std::invalid_argument("clouds = \"csv\" needs cloud_csv = \"<path>\"");
      return std::make_unique<SeriesCloudiness>(std::make_unique<CsvSeries>(CsvSeriesOptions{
          path, config.at("cloud_column").get<std::string>(), 1.0, config.at("wrap").get<bool>()}));
    }
    throw std::invalid_argument("clouds must be \"synthetic\", \"csv\" or \"none\", got \"" + kind + "\"");
  }

  // Publishes the interval, or records why there is no reading for it.
  void publish(const Interval& interval) {
    try {
      publish_reading(interval);
    } catch (const std::exception& error) {
      errors_.record(host(), interval.start_ms, error);
    }
  }

  void publish_reading(const Interval& interval) {
    const MilliWattHours available = series_->energy_mwh(interval.start_ms, interval.duration_ms);
    const CurtailedEnergy energy =
        limit_w_ ? curtail(available, *limit_w_, interval.duration_ms) : CurtailedEnergy{available, 0};
    total_ += energy.delivered;
    curtailed_ += energy.curtailed;
    nlohmann::json window = interval_json(interval);
    window["energy_mwh"] = energy.delivered;
    window["curtailed_mwh"] = energy.curtailed;
    nlohmann::json state = {{"power", round_power_w(average_power_w(energy.delivered, interval.duration_ms))},
                            {"energy", watt_hours(total_)},
                            {"curtailed_energy", watt_hours(curtailed_)},
                            {"interval", window}};
    state["limit_w"] = limit_w_ ? nlohmann::json(*limit_w_) : nlohmann::json(nullptr);
    host().publish_state(host().id(), state);
  }

  std::int64_t step_ms_;
  std::int64_t period_ms_;
  StepSpacingCheck spacing_;
  StepErrors errors_;
  std::unique_ptr<PowerSeries> series_;
  std::optional<double> limit_w_;
  MilliWattHours total_ = 0;
  MilliWattHours curtailed_ = 0;
};

}  // namespace hepek::sim

HEPEK_PLUGIN(hepek::sim::SimPv, "org.hepek.sim.pv", "1.0.0")
