// sim-grid: the simulated grid meter. Subscribes to the load, PV and battery states (device ids from its
// config), further consumers (`loads`, e.g. a sim-house AC: their interval energy_mwh adds to the load) and the
// supply relay, and nets each step once it has every input for that step (matched by the
// "interval" start): import/export with the relay on; with it off nothing crosses the meter (unserved load,
// spilled PV). Keeps cumulative import/export counters (Wh) and the cost from fixed prices or
// hepek/tariff/prices.
#include <hepek/plugin.hpp>

#include "device_inputs.hpp"
#include "grid_meter_model.hpp"
#include "price_table.hpp"
#include "sim_plugin_support.hpp"

namespace hepek::sim {

class SimGrid : public Plugin {
 public:
  static constexpr const char* category = "simulation";
  static constexpr const char* description =
      "Simulated grid meter: nets load, PV and battery; honours the relay";

  static std::vector<ConfigRow> config_schema() {
    return {
        {"load", HEPEK_CONFIG_STRING, "\"load\"", false, "device id of the household load"},
        {"pv", HEPEK_CONFIG_STRING, "\"pv\"", false, "device id of the PV inverter; empty = none"},
        {"battery", HEPEK_CONFIG_STRING, "\"battery\"", false, "device id of the battery; empty = none"},
        {"relay", HEPEK_CONFIG_STRING, "\"\"", false, "device id of the supply relay; empty = none"},
        {"loads", HEPEK_CONFIG_STRING_ARRAY, "[]", false,
         "device ids of further consumers (e.g. a sim-house AC) whose interval energy_mwh adds to the load"},
        {"import_price_eur_per_kwh", HEPEK_CONFIG_FLOAT, "0.30", false, "fixed import price"},
        {"export_price_eur_per_kwh", HEPEK_CONFIG_FLOAT, "0.08", false, "fixed export price"},
        ConfigRow{"price_source", HEPEK_CONFIG_STRING, "\"fixed\"", false,
                  "fixed, or tariff (hepek/tariff/prices: all-in import/export prices, or spot plus the "
                  "surcharges; "
                  "the fixed prices where it has none)"}
            .one_of({"fixed", "tariff"}),
        {"import_surcharge_eur_per_kwh", HEPEK_CONFIG_FLOAT, "0.15", false,
         "tariff: added to spot for import"},
        {"export_surcharge_eur_per_kwh", HEPEK_CONFIG_FLOAT, "0.0", false,
         "tariff: added to spot for export"},
        {"report_periods", HEPEK_CONFIG_STRING_ARRAY, "[]", false,
         "ISO 8601 intervals FROM/UNTIL whose import/export/unserved energy the summary reports separately"},
    };
  }

  SimGrid(Host& host, const nlohmann::json& config)
      : Plugin(host),
        load_device_(config.at("load").get<std::string>()),
        pv_device_(config.at("pv").get<std::string>()),
        battery_device_(config.at("battery").get<std::string>()),
        relay_device_(config.at("relay").get<std::string>()),
        extra_loads_(config.at("loads").get<std::vector<std::string>>()),
        import_price_(micro_eur_per_kwh(config.at("import_price_eur_per_kwh").get<double>())),
        export_price_(micro_eur_per_kwh(config.at("export_price_eur_per_kwh").get<double>())),
        import_surcharge_(
            micro_eur_per_mwh_from_eur_per_kwh(config.at("import_surcharge_eur_per_kwh").get<double>())),
        export_surcharge_(
            micro_eur_per_mwh_from_eur_per_kwh(config.at("export_surcharge_eur_per_kwh").get<double>())) {
    const std::string source = config.at("price_source").get<std::string>();
    if (source != "fixed" && source != "tariff")
      throw std::invalid_argument("price_source must be \"fixed\" or \"tariff\", got \"" + source + "\"");
    use_tariff_ = source == "tariff";
    if (load_device_.empty()) throw std::invalid_argument("load must name the household load device");
    for (const auto& device : extra_loads_)
      if (device.empty() || device == load_device_ || device == pv_device_ || device == battery_device_)
        throw std::invalid_argument("loads: \"" + device +
                                    "\" must name a further device, not empty or one of "
                                    "load, pv, battery");
    for (const auto& text : config.at("report_periods").get<std::vector<std::string>>())
      periods_.push_back(parse_period(text));
  }

  void start() override {
    // The grid_meter interface's canonical counters are energy_import/energy_export; import_wh/export_wh stay
    // for version-1 readers (same values).
    host().announce(
        Device{host().id(),
               "Grid meter (simulated)",
               {sensor("power", "W", "power", "measurement", "Grid power (+ import)"),
                energy_counter("energy_import", "Energy imported"),
                energy_counter("energy_export", "Energy exported"),
                energy_counter("import_wh", "Energy imported (v1 name)"),
                energy_counter("export_wh", "Energy exported (v1 name)"),
                energy_counter("unserved_wh", "Load not served (relay off)"), text_sensor("relay")},
               "sim-grid"}
            .implements("grid_meter", "grid"));
    std::vector<std::string> inputs = {load_device_, pv_device_, battery_device_};
    inputs.insert(inputs.end(), extra_loads_.begin(), extra_loads_.end());
    for (const std::string& device : inputs) {
      if (device.empty()) continue;
      host().subscribe(topics::state(device), [this, device](const Message& message) {
        const auto state = parse_json_object(message.payload);
        if (!state) {
          host().warn("ignoring a malformed state of " + device);
          return;
        }
        if (!inputs_[device].remember(*state)) return;  // e.g. the battery's sense-phase SoC report
        if (const auto start = inputs_[device].latest_start()) try_net(*start);
      });
    }
    if (!relay_device_.empty())
      host().subscribe(topics::state(relay_device_), [this](const Message& message) {
        if (const auto state = parse_json_object(message.payload)) relay_on_ = relay_connected(*state);
      });
    if (use_tariff_)
      host().subscribe(topics::kTariffPrices, [this](const Message& message) {
        try {
          prices_ = parse_price_table(nlohmann::json::parse(message.payload));
        } catch (const std::exception& error) {
          host().warn(std::string("ignoring hepek/tariff/prices: ") + error.what());
        }
      });
  }

  nlohmann::json summary() override {
    const GridTotals& t = meter_.totals();
    nlohmann::json grid = {{"unserved_kwh", kilowatt_hours_3dp(t.unserved)},
                           {"pv_spilled_kwh", kilowatt_hours_3dp(t.pv_spilled)},
                           {"balance_error_mwh", t.balance_error()},
                           {"steps", t.steps},
                           {"extra_load_kwh", kilowatt_hours_3dp(extra_load_)},
                           {"steps_without_tariff", steps_without_tariff_}};
    if (!periods_.empty()) grid["periods"] = periods_json();
    return {
        {"energy_kwh", {{"import", kilowatt_hours_3dp(t.import)}, {"export", kilowatt_hours_3dp(t.export_)}}},
        {"energy_mwh",
         {{"import", t.import},
          {"export", t.export_},
          {"unserved", t.unserved},
          {"pv_spilled", t.pv_spilled}}},
        {"cost_eur", static_cast<double>(cents_of_picoeur(t.cost_picoeur)) / 100.0},
        {"grid", grid}};
  }

 private:
  struct ReportPeriod {
    std::string text;
    std::int64_t from_ms = 0, until_ms = 0;
    MilliWattHours import = 0, export_ = 0, unserved = 0;
    std::int64_t steps = 0;
  };

  static ReportPeriod parse_period(const std::string& text) {
    const auto slash = text.find('/');
    if (slash == std::string::npos)
      throw std::invalid_argument("report_periods: \"" + text + "\" is not an ISO 8601 interval FROM/UNTIL");
    ReportPeriod period;
    period.text = text;
    try {
      period.from_ms = parse_iso8601_ms(text.substr(0, slash));
      period.until_ms = parse_iso8601_ms(text.substr(slash + 1));
    } catch (const std::invalid_argument& error) {
      throw std::invalid_argument("report_periods: \"" + text + "\": " + error.what());
    }
    if (period.until_ms <= period.from_ms)
      throw std::invalid_argument("report_periods: \"" + text + "\": UNTIL must be after FROM");
    return period;
  }

  nlohmann::json periods_json() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : periods_)
      list.push_back({{"period", p.text},
                      {"steps", p.steps},
                      {"import_mwh", p.import},
                      {"export_mwh", p.export_},
                      {"unserved_mwh", p.unserved}});
    return list;
  }

  std::optional<MilliWattHours> input(const std::string& device, std::int64_t start, const char* key) {
    if (device.empty()) return 0;
    return inputs_[device].energy(start, key);
  }

  void try_net(std::int64_t start) {
    if (start <= last_netted_) return;
    const auto load = input(load_device_, start, "energy_mwh");
    const auto pv = input(pv_device_, start, "energy_mwh");
    const auto charge = input(battery_device_, start, "charge_mwh");
    const auto discharge = input(battery_device_, start, "discharge_mwh");
    if (!load || !pv || !charge || !discharge) return;
    MilliWattHours extra = 0;
    for (const auto& device : extra_loads_) {
      const auto energy = input(device, start, "energy_mwh");
      if (!energy) return;
      extra += *energy;
    }
    extra_load_ += extra;
    const auto duration = inputs_[load_device_].energy(start, "duration_ms").value_or(0);

    GridStepInput step{*load + extra, *pv, *charge, *discharge, relay_on_, import_price_, export_price_};
    if (use_tariff_) {
      const auto import = prices_.import_at(start, import_surcharge_);
      const auto export_ = prices_.export_at(start, export_surcharge_);
      if (import) step.import_price_micro_eur_per_kwh = micro_eur_per_kwh_from_micro_per_mwh(*import);
      if (export_) step.export_price_micro_eur_per_kwh = micro_eur_per_kwh_from_micro_per_mwh(*export_);
      if (!import || !export_) ++steps_without_tariff_;
    }
    const GridStepResult result = meter_.step(step);
    last_netted_ = start;
    for (auto& period : periods_) {
      if (start < period.from_ms || start >= period.until_ms) continue;
      period.import += result.import;
      period.export_ += result.export_;
      period.unserved += result.unserved;
      ++period.steps;
    }
    for (auto& [device, inputs] : inputs_) inputs.forget_through(start);

    const GridTotals& t = meter_.totals();
    nlohmann::json window = interval_json({start, duration});
    window["import_mwh"] = result.import;
    window["export_mwh"] = result.export_;
    window["unserved_mwh"] = result.unserved;
    host().publish_state(host().id(),
                         {{"power", round_power_w(average_power_w(result.import - result.export_, duration))},
                          {"energy_import", watt_hours(t.import)},
                          {"energy_export", watt_hours(t.export_)},
                          {"import_wh", watt_hours(t.import)},
                          {"export_wh", watt_hours(t.export_)},
                          {"unserved_wh", watt_hours(t.unserved)},
                          {"relay", relay_on_ ? "on" : "off"},
                          {"interval", window}});
  }

  std::string load_device_, pv_device_, battery_device_, relay_device_;
  std::vector<std::string> extra_loads_;
  MilliWattHours extra_load_ = 0;
  std::int64_t import_price_, export_price_;          // fixed prices, µEUR/kWh (the grid model's unit)
  std::int64_t import_surcharge_, export_surcharge_;  // on the tariff's spot, µEUR/MWh (the contract's unit)
  bool use_tariff_ = false;
  bool relay_on_ = true;
  std::map<std::string, DeviceInputs> inputs_;
  PriceTable prices_;
  GridMeter meter_;
  std::int64_t last_netted_ = INT64_MIN;
  std::int64_t steps_without_tariff_ = 0;
  std::vector<ReportPeriod> periods_;
};

}  // namespace hepek::sim

HEPEK_PLUGIN(hepek::sim::SimGrid, "org.hepek.sim.grid", "1.0.0")
