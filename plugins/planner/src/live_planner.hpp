// The live planner's logic, free of the bus: it is fed parsed messages and asked for a decision each step, so it can
// be tested without a hub. The plugin (planner_plugin.cpp) only moves JSON between the bus and this class.
//
// Contract: decide() never throws on bad inputs and always returns a command. When prices, the battery's state or the
// household's readings are missing, stale (older than stale_after_s) or absurd, or the forecaster has seen less than
// a day, it falls back to the self-consumption rule and says why in Decision::fallback. Otherwise it re-plans with the
// same forecaster and optimiser as `hepek backtest` (mpc_policy.hpp). It keeps the running cost of what the battery did
// and of a shadow self-consumption battery on the same household data. Not thread-safe (the hub's event thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cmath>

#include <hepek/payloads/battery_setpoint.hpp>
#include <hepek/payloads/prices.hpp>
#include <nlohmann/json.hpp>

#include "forecaster.hpp"
#include "mpc_policy.hpp"
#include "planning_problem.hpp"

namespace hepek::planner {

// Added to the spot prices of the CSV stand-in (planner_plugin.cpp price_csv) to make import and export
// prices; hepek/tariff/prices itself always carries all-in prices.
struct Surcharges {
  double import_eur_per_mwh = 0;
  double export_eur_per_mwh = 0;
};

struct LivePlannerSettings {
  Surcharges surcharges;
  BatteryModel battery;  // SoC limits in Wh derived from capacity and percentages
  double capacity_wh = 10'000;
  GridLimits grid;
  int64_t step_s = 900;
  double horizon_hours = 48;
  int64_t stale_after_s = 1800;
  int soc_levels = 200;
  std::string timezone = "UTC";  // IANA zone of the home: the forecaster's day types follow it
  ForecastSettings forecast;
};

// One published price interval, in the optimiser's unit (EUR/MWh as double; the bus carries µEUR/MWh
// integers).
struct PriceInterval {
  int64_t start_s = 0;
  int64_t end_s = 0;
  double import_eur_per_mwh = 0;
  double export_eur_per_mwh = 0;
};

// The intervals of a hepek/tariff/prices message (hepek::payloads::PriceMessage, the one parser every reader
// uses). Throws std::invalid_argument with the parser's message naming the bad field.
std::vector<PriceInterval> parse_price_message(const nlohmann::json& message);
std::vector<PriceInterval> price_intervals(const payloads::PriceMessage& message);

struct Decision {
  double setpoint_w = 0;  // + discharge
  bool send_setpoint = true;
  double expires_s = 0;
  std::optional<std::string> fallback;  // why the rule is used, if it is
  nlohmann::json plan;                  // for hepek/plan: payloads::PlanMessage::to_json()

  // The command for the battery (hepek/<battery>/set), rounded to the watt and second.
  payloads::BatterySetpoint setpoint() const { return {std::llround(setpoint_w), std::llround(expires_s)}; }
};

class LivePlanner {
 public:
  explicit LivePlanner(LivePlannerSettings settings);

  void on_prices(const nlohmann::json& message, int64_t now_s);  // unreadable: a fallback naming the error
  void on_prices(const payloads::PriceMessage& message, int64_t now_s);
  void on_battery_state(const nlohmann::json& state, int64_t now_s);
  void on_load_state(const nlohmann::json& state, int64_t now_s);
  void on_pv_state(const nlohmann::json& state, int64_t now_s);

  Decision decide(int64_t now_s);
  // The home's location for the clear-sky PV forecast (a GPS fix; see hepek/location.hpp).
  void set_location(double latitude_deg, double longitude_deg) {
    forecaster_.set_location(latitude_deg, longitude_deg);
  }
  const Forecaster& forecaster() const { return forecaster_; }

  const LivePlannerSettings& settings() const { return settings_; }

  double cost_eur() const { return static_cast<double>(cost_micro_) / 1e6; }
  double cost_rule_based_eur() const { return static_cast<double>(rule_cost_micro_) / 1e6; }
  int64_t replans() const { return replans_; }
  int64_t fallbacks() const { return fallbacks_; }

 private:
  struct Reading {
    double value = 0;
    int64_t at_s = INT64_MIN;
    std::string problem;  // non-empty when the last message was unusable
  };
  std::optional<std::string> check_inputs(int64_t now_s) const;
  std::optional<double> price_at(int64_t t, bool import) const;
  void account_previous_step(int64_t now_s);

  LivePlannerSettings settings_;
  Forecaster forecaster_;
  std::vector<PriceInterval> prices_;
  int64_t prices_received_s_ = INT64_MIN;
  std::string prices_problem_;
  Reading soc_pct_, battery_power_, load_w_, pv_w_;
  bool pv_seen_ = false;
  double rule_soc_wh_ = -1;
  int64_t last_decision_s_ = INT64_MIN;
  double last_load_w_ = 0, last_pv_w_ = 0;
  int64_t cost_micro_ = 0, rule_cost_micro_ = 0, replans_ = 0, fallbacks_ = 0;
};

}  // namespace hepek::planner
