// org.hepek.planner: the live battery planner. Subscribes to the tariff's prices and the battery, load and PV states
// (device ids from config), re-plans every step (simulation: in the decide phase; live: on a timer), sends the battery
// a setpoint with an expiry on hepek/<battery>/set and publishes hepek/plan (retained) with a reason per step. When its
// inputs cannot be trusted it falls back to the self-consumption rule, says so in hepek/plan ("fallback") and warns.
// Also provides `hepek backtest`.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <hepek/interfaces.hpp>
#include <hepek/location.hpp>
#include <hepek/plugin.hpp>
#include <hepek/topics.hpp>

#include <hepek/timeseries/price_series.hpp>

#include "backtest_command.hpp"
#include "live_planner.hpp"
#include "planner_settings.hpp"

namespace hepek::planner {

using namespace hepek::timeseries;  // the shared time and CSV vocabulary

class PlannerPlugin : public hepek::Plugin {
 public:
  static constexpr const char* category = "planner";
  static constexpr const char* description = "Optimising battery planner (MPC over prices and forecasts)";

  static std::vector<hepek::ConfigRow> config_schema() {
    return {
        {"battery", HEPEK_CONFIG_STRING, "\"battery\"", false, "device id of the battery to command"},
        {"load", HEPEK_CONFIG_STRING, "\"load\"", false, "device id of the household load meter"},
        {"pv", HEPEK_CONFIG_STRING, "\"pv\"", false, "device id of the PV inverter; empty = none"},
        hepek::ConfigRow{"capacity_wh", HEPEK_CONFIG_FLOAT, "10000.0", false,
                         "battery usable capacity at 100 % SoC"}
            .greater_than(0),
        hepek::ConfigRow{"max_charge_w", HEPEK_CONFIG_FLOAT, "5000.0", false, "battery AC charge limit"}
            .at_least(0),
        hepek::ConfigRow{"max_discharge_w", HEPEK_CONFIG_FLOAT, "5000.0", false, "battery AC discharge limit"}
            .at_least(0),
        hepek::ConfigRow{"charge_efficiency", HEPEK_CONFIG_FLOAT, "0.95", false, "AC to stored"}
            .greater_than(0)
            .at_most(1),
        hepek::ConfigRow{"discharge_efficiency", HEPEK_CONFIG_FLOAT, "0.95", false, "stored to AC"}
            .greater_than(0)
            .at_most(1),
        hepek::ConfigRow{"soc_min_pct", HEPEK_CONFIG_FLOAT, "5.0", false, "lowest SoC to plan with"}.between(
            0, 100),
        hepek::ConfigRow{"soc_max_pct", HEPEK_CONFIG_FLOAT, "100.0", false, "highest SoC to plan with"}
            .between(0, 100),
        hepek::ConfigRow{"wear_eur_per_mwh", HEPEK_CONFIG_FLOAT, "0.0", false,
                         "battery wear per MWh of throughput"}
            .at_least(0),
        hepek::ConfigRow{"grid_import_max_w", HEPEK_CONFIG_FLOAT, "0.0", false,
                         "contracted import limit; 0 = none"}
            .at_least(0),
        hepek::ConfigRow{"main_fuse_a", HEPEK_CONFIG_FLOAT, "0.0", false,
                         "main fuse per phase in A; 0 = none"}
            .at_least(0),
        hepek::ConfigRow{"phases", HEPEK_CONFIG_INTEGER, "1", false, "number of phases of the connection"}
            .between(1, 3),
        hepek::ConfigRow{"grid_export_max_w", HEPEK_CONFIG_FLOAT, "-1.0", false,
                         "export limit; -1 = none, 0 = no export"}
            .at_least(-1),
        {"allow_curtailment", HEPEK_CONFIG_BOOLEAN, "true", false, "PV may be curtailed at negative prices"},
        {"import_surcharge_eur_per_mwh", HEPEK_CONFIG_FLOAT, "0.0", false,
         "added to prices_csv spot prices for import (fees, taxes, margin)"},
        {"export_surcharge_eur_per_mwh", HEPEK_CONFIG_FLOAT, "0.0", false,
         "added to prices_csv spot prices for export"},
        {"prices_csv", HEPEK_CONFIG_PATH, "\"\"", false,
         "stand-in for a tariff plugin: read spot prices from this CSV (time,price_eur_per_mwh), published "
         "day-ahead at 13:00; the surcharges above apply"},
        hepek::ConfigRow{"step_s", HEPEK_CONFIG_DURATION, "", false,
                         "planning step; default [hub] step_s (in simulation equal to it)"}
            .at_least(60),
        hepek::ConfigRow{"horizon_h", HEPEK_CONFIG_FLOAT, "48.0", false, "planning horizon in hours"}
            .greater_than(0),
        hepek::ConfigRow{"stale_after_s", HEPEK_CONFIG_DURATION, "1800", false,
                         "inputs older than this are stale"}
            .at_least(1),
        hepek::ConfigRow{"pv_model", HEPEK_CONFIG_STRING, "\"profile\"", false,
                         "PV forecast: profile (learned) or clearsky"}
            .one_of({"profile", "clearsky"}),
        hepek::ConfigRow{"latitude", HEPEK_CONFIG_FLOAT, "", false,
                         "for pv_model = clearsky; default [hub] latitude"}
            .between(-90, 90),
        hepek::ConfigRow{"longitude", HEPEK_CONFIG_FLOAT, "", false,
                         "for pv_model = clearsky; default [hub] longitude"}
            .between(-180, 180),
    };
  }

  static std::vector<hepek::CliCommand> cli_commands() {
    return {HEPEK_CLI("backtest",
                      "Replay the planner over recorded prices and household data; print its scorecard",
                      backtest_command)};
  }

  static std::vector<hepek::TopicGrant> topics() {
    return {{"hepek/plan", HEPEK_ACCESS_PUBLISH},
            {"hepek/{battery}/set", HEPEK_ACCESS_PUBLISH},
            {"hepek/tariff/prices", HEPEK_ACCESS_SUBSCRIBE},
            {"hepek/{battery}/state", HEPEK_ACCESS_SUBSCRIBE},
            {"hepek/{load}/state", HEPEK_ACCESS_SUBSCRIBE},
            {"hepek/{pv}/state", HEPEK_ACCESS_SUBSCRIBE}};
  }

  PlannerPlugin(hepek::Host& host, const nlohmann::json& config)
      : Plugin(host),
        battery_(config.at("battery").get<std::string>()),
        load_(config.at("load").get<std::string>()),
        pv_(config.at("pv").get<std::string>()),
        planner_(live_planner_settings(config, host.hub_settings())),
        step_s_(planner_.settings().step_s) {
    if (const auto path = config.at("prices_csv").get<std::string>(); !path.empty())
      price_csv_ = read_price_csv_file(path);
    surcharges_ = {config.at("import_surcharge_eur_per_mwh").get<double>(),
                   config.at("export_surcharge_eur_per_mwh").get<double>()};
    if (battery_.empty() || load_.empty())
      throw std::invalid_argument("planner: battery and load device ids are required");
    // Its own latitude/longitude pin the forecast; otherwise it follows the hub's location ([hub] location).
    follows_hub_location_ = !config.contains("latitude") && !config.contains("longitude");
  }

  void start() override {
    // The planner reads soc/power of the battery, power of load and PV: the canonical fields of their
    // interfaces. A device that does not declare its interface is driven anyway (version-1 metadata keeps
    // working) but said so loudly, since its fields may mean something else.
    expect_interface(battery_, hepek::interfaces::kBattery);
    expect_interface(load_, hepek::interfaces::kLoad);
    if (!pv_.empty()) expect_interface(pv_, hepek::interfaces::kPvInverter);
    host().subscribe(hepek::topics::kTariffPrices,
                     [this](const hepek::Message& m) { planner_.on_prices(parse(m.payload), now_s()); });
    host().subscribe(hepek::topics::state(battery_), [this](const hepek::Message& m) {
      planner_.on_battery_state(parse(m.payload), now_s());
    });
    host().subscribe(hepek::topics::state(load_),
                     [this](const hepek::Message& m) { planner_.on_load_state(parse(m.payload), now_s()); });
    if (!pv_.empty())
      host().subscribe(hepek::topics::state(pv_),
                       [this](const hepek::Message& m) { planner_.on_pv_state(parse(m.payload), now_s()); });
    if (follows_hub_location_) location_.emplace(host());
    if (!host().is_simulation())
      host().every(static_cast<uint64_t>(step_s_) * 1000, [this] { replan(now_s()); });
  }

  void step(hepek::Phase phase, int64_t now_ms) override {
    if (phase == hepek::Phase::decide) replan(now_ms / 1000);
  }

  nlohmann::json summary() override {
    auto cents = [](double eur) { return std::round(eur * 100) / 100; };
    return {{"planner",
             {{"cost_eur", cents(planner_.cost_eur())},
              {"cost_rule_based_eur", cents(planner_.cost_rule_based_eur())},
              {"replans", planner_.replans()},
              {"fallbacks", planner_.fallbacks()}}}};
  }

 private:
  static nlohmann::json parse(std::string_view payload) {
    return nlohmann::json::parse(payload, nullptr,
                                 /*allow_exceptions=*/false);  // discarded → treated as absurd
  }

  int64_t now_s() const { return host().now_ms() / 1000; }

  void expect_interface(const std::string& device, std::string_view interface) {
    host().subscribe(hepek::topics::config(device), [this, interface](const hepek::Message& m) {
      const auto status =
          hepek::interfaces::check_implements(nlohmann::json::parse(m.payload, nullptr, false), interface);
      if (!status) host().error("planner: " + status.error() + " (its fields are read as that interface's)");
    });
  }

  // Feeds what a day-ahead market would have published by `now` as if it came on hepek/tariff/prices.
  void feed_csv_prices(int64_t now) {
    const int64_t until = day_ahead_published_until(*price_csv_, now);
    hepek::payloads::PriceMessage message;
    message.source = "csv";
    message.resolution_s = price_csv_->step_s();
    const auto micro = [](double eur_per_mwh) { return std::llround(eur_per_mwh * 1e6); };
    for (int64_t t = std::max(price_csv_->start_s(), now - now % price_csv_->step_s());
         t < until && t < price_csv_->end_s(); t += price_csv_->step_s()) {
      const double spot = price_csv_->eur_per_mwh_at(t);
      hepek::payloads::PriceInterval slot;
      slot.start_ms = t * 1000;
      slot.length_s = price_csv_->step_s();
      slot.spot_ueur_per_mwh = micro(spot);
      slot.import_ueur_per_mwh = micro(spot + surcharges_.import_eur_per_mwh);
      slot.export_ueur_per_mwh = micro(spot + surcharges_.export_eur_per_mwh);
      message.prices.push_back(slot);
    }
    planner_.on_prices(message, now);
  }

  void follow_location() {
    if (!location_ || !location_->follows_gps()) return;
    const hepek::HubLocation here = location_->current();
    if (here == last_location_) return;
    planner_.set_location(here.latitude, here.longitude);
    host().info("planner: PV forecast for " + std::to_string(here.latitude) + ", " +
                std::to_string(here.longitude) + " (from " + here.source + ")");
    last_location_ = here;
  }

  void replan(int64_t now) {
    follow_location();
    if (price_csv_) feed_csv_prices(now);
    const Decision decision = planner_.decide(now);
    if (decision.send_setpoint)
      host().publish_json(hepek::topics::set(battery_), decision.setpoint().to_json());
    host().publish_json(hepek::topics::kPlan, decision.plan, 1, /*retain=*/true);
    if (decision.fallback && *decision.fallback != last_fallback_)
      host().warn("planner falls back to self-consumption: " + *decision.fallback);
    last_fallback_ = decision.fallback.value_or("");
  }

  std::string battery_, load_, pv_;
  LivePlanner planner_;
  int64_t step_s_;
  std::string last_fallback_;
  std::optional<PriceSeries> price_csv_;
  Surcharges surcharges_;  // added to price_csv_'s spot prices
  bool follows_hub_location_ = false;
  std::optional<hepek::LocationFollower> location_;
  hepek::HubLocation last_location_;
};

}  // namespace hepek::planner

HEPEK_PLUGIN(hepek::planner::PlannerPlugin, "org.hepek.planner", "0.1.0")
