#include <gtest/gtest.h>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>

#include "live_planner.hpp"
#include "planner_settings.hpp"

using namespace hepek::planner;
using namespace hepek::timeseries;
using nlohmann::json;

namespace {

constexpr int64_t kStep = 900;
const int64_t kStart = parse_iso8601("2024-03-01T00:00:00+01:00")->unix_s;

// A hepek/tariff/prices message (version 2: integer µEUR/MWh) of `hours` hourly prices from start.
json prices_from(int64_t start, int hours, double base = 100) {
  json list = json::array();
  const auto micro = [](double eur_per_mwh) { return std::llround(eur_per_mwh * 1e6); };
  for (int h = 0; h < hours; ++h)
    list.push_back({{"start_ms", (start + h * 3600) * 1000},
                    {"length_s", 3600},
                    {"import_ueur_per_mwh", micro(base + 100 + (h % 24 >= 17 && h % 24 < 21 ? 150 : 0))},
                    {"export_ueur_per_mwh", micro(base)}});
  return {{"unit", "uEUR/MWh"}, {"prices", list}, {"resolution_s", 3600}};
}

double load_at(int64_t t) {
  return (local_second_of_day(t, 60) / 3600 >= 17) ? 1500 : 400;
}

LivePlanner trained_planner(int64_t* now) {
  LivePlannerSettings settings;
  settings.battery.soc_max_wh = 10'000;
  settings.capacity_wh = 10'000;
  settings.step_s = kStep;
  settings.horizon_hours = 24;
  LivePlanner planner(settings);
  planner.on_prices(prices_from(kStart, 24 * 4), kStart);
  int64_t t = kStart;
  for (; t < kStart + 2 * 86400; t += kStep) {
    planner.on_load_state({{"power", load_at(t)}}, t);
    planner.on_pv_state({{"power", 0.0}}, t);
    planner.on_battery_state({{"soc", 50.0}, {"power", 0.0}}, t);
    planner.decide(t);
  }
  *now = t;
  return planner;
}

}  // namespace

TEST(LivePlanner, FallsBackWithoutPricesAndSaysWhy) {
  LivePlanner planner(LivePlannerSettings{});
  planner.on_load_state({{"power", 800.0}}, kStart);
  planner.on_battery_state({{"soc", 50.0}}, kStart);
  const Decision decision = planner.decide(kStart);
  ASSERT_TRUE(decision.fallback.has_value());
  EXPECT_NE(decision.fallback->find("no prices"), std::string::npos);
  EXPECT_EQ(decision.plan.at("fallback"), *decision.fallback);
  EXPECT_TRUE(decision.send_setpoint);
  EXPECT_DOUBLE_EQ(decision.setpoint_w, 800.0);  // self-consumption: cover the load
  EXPECT_EQ(planner.fallbacks(), 1);
}

TEST(LivePlanner, NothingKnownSendsNoSetpoint) {
  LivePlanner planner(LivePlannerSettings{});
  const Decision decision = planner.decide(kStart);
  ASSERT_TRUE(decision.fallback.has_value());
  EXPECT_FALSE(decision.send_setpoint);
}

TEST(LivePlanner, PlansOnceTrainedWithGoodInputs) {
  int64_t now = 0;
  LivePlanner planner = trained_planner(&now);
  planner.on_load_state({{"power", load_at(now)}}, now);
  planner.on_pv_state({{"power", 0.0}}, now);
  planner.on_battery_state({{"soc", 50.0}}, now);
  const Decision decision = planner.decide(now);
  EXPECT_FALSE(decision.fallback.has_value()) << *decision.fallback;
  EXPECT_GE(decision.setpoint_w, -5000);
  EXPECT_LE(decision.setpoint_w, 5000);
  ASSERT_GT(decision.plan.at("steps").size(), 10u);
  for (const auto& step : decision.plan.at("steps"))
    EXPECT_FALSE(step.at("reason").get<std::string>().empty());
  EXPECT_GT(planner.replans(), 0);
}

TEST(LivePlanner, StaleBatteryStateFallsBack) {
  int64_t now = 0;
  LivePlanner planner = trained_planner(&now);
  planner.on_load_state({{"power", 700.0}}, now + 3 * 3600);
  const Decision decision = planner.decide(now + 3 * 3600);  // battery last heard 3 h ago
  ASSERT_TRUE(decision.fallback.has_value());
  EXPECT_NE(decision.fallback->find("battery state is"), std::string::npos) << *decision.fallback;
}

TEST(LivePlanner, AbsurdInputsFallBack) {
  int64_t now = 0;
  {
    LivePlanner planner = trained_planner(&now);
    planner.on_battery_state({{"soc", 180.0}}, now);
    planner.on_load_state({{"power", 500.0}}, now);
    const Decision d = planner.decide(now);
    ASSERT_TRUE(d.fallback);
    EXPECT_NE(d.fallback->find("absurd battery SoC"), std::string::npos);
  }
  {
    LivePlanner planner = trained_planner(&now);
    planner.on_battery_state({{"soc", 50.0}}, now);
    planner.on_load_state({{"power", -4000.0}}, now);
    const Decision d = planner.decide(now);
    ASSERT_TRUE(d.fallback);
    EXPECT_NE(d.fallback->find("absurd load"), std::string::npos);
  }
  {
    LivePlanner planner = trained_planner(&now);
    planner.on_prices(prices_from(now, 24, 1e7), now);
    planner.on_battery_state({{"soc", 50.0}}, now);
    planner.on_load_state({{"power", 500.0}}, now);
    const Decision d = planner.decide(now);
    ASSERT_TRUE(d.fallback);
    EXPECT_NE(d.fallback->find("absurd price"), std::string::npos);
  }
  {
    LivePlanner planner = trained_planner(&now);
    planner.on_prices(json::parse("[1,2,3]"), now);  // not the expected shape
    planner.on_prices(json(nullptr), now);           // a payload that failed to parse
    planner.on_battery_state({{"soc", 50.0}}, now);
    planner.on_load_state({{"power", 500.0}}, now);
    const Decision d = planner.decide(now);
    ASSERT_TRUE(d.fallback);
    EXPECT_NE(d.fallback->find("unreadable prices"), std::string::npos);
  }
}

TEST(LivePlanner, PricesRunningOutFallBack) {
  int64_t now = 0;
  LivePlanner planner = trained_planner(&now);
  const int64_t later = kStart + 5 * 86400;  // beyond the 4 days of published prices
  planner.on_battery_state({{"soc", 50.0}}, later);
  planner.on_load_state({{"power", 500.0}}, later);
  planner.on_pv_state({{"power", 0.0}}, later);
  const Decision d = planner.decide(later);
  ASSERT_TRUE(d.fallback);
  EXPECT_NE(d.fallback->find("stale"), std::string::npos);
}

TEST(PriceMessage, ParsesAndRejectsBadElements) {
  const auto parsed = parse_price_message(prices_from(kStart, 3));
  ASSERT_EQ(parsed.size(), 3u);
  EXPECT_EQ(parsed[0].end_s - parsed[0].start_s, 3600);
  EXPECT_THROW(parse_price_message(json{{"prices", json::array({json{{"start", "yesterday"}}})}}),
               std::invalid_argument);
  EXPECT_THROW(parse_price_message(json{{"nothing", 1}}), std::invalid_argument);
}

// Issue 8: a planner table without location or step keys takes [hub]'s, and its day types follow [hub]
// timezone with DST; keys in its own table still win.
TEST(LivePlannerSettings, TakesLocationStepAndZoneFromHub) {
  json config = {{"capacity_wh", 10000.0},
                 {"max_charge_w", 5000.0},
                 {"max_discharge_w", 5000.0},
                 {"charge_efficiency", 0.95},
                 {"discharge_efficiency", 0.95},
                 {"soc_min_pct", 5.0},
                 {"soc_max_pct", 100.0},
                 {"wear_eur_per_mwh", 0.0},
                 {"grid_import_max_w", 0.0},
                 {"main_fuse_a", 0.0},
                 {"phases", 1},
                 {"grid_export_max_w", -1.0},
                 {"allow_curtailment", true},
                 {"import_surcharge_eur_per_mwh", 0.0},
                 {"export_surcharge_eur_per_mwh", 0.0},
                 {"horizon_h", 48.0},
                 {"stale_after_s", 1800},
                 {"pv_model", "clearsky"}};
  const json hub = {{"name", "home"},
                    {"timezone", "Europe/Amsterdam"},
                    {"latitude", 51.44},
                    {"longitude", 5.47},
                    {"step_s", 300}};
  const LivePlannerSettings s = live_planner_settings(config, hub);
  EXPECT_DOUBLE_EQ(s.forecast.latitude_deg, 51.44);
  EXPECT_DOUBLE_EQ(s.forecast.longitude_deg, 5.47);
  EXPECT_EQ(s.step_s, 300);
  EXPECT_EQ(s.timezone, "Europe/Amsterdam");
  EXPECT_EQ(s.forecast.offset_minutes(parse_iso8601("2023-03-26T00:59:59Z")->unix_s), 60);
  EXPECT_EQ(s.forecast.offset_minutes(parse_iso8601("2023-03-26T01:00:00Z")->unix_s), 120);
  EXPECT_EQ(s.forecast.offset_minutes(parse_iso8601("2023-10-29T01:00:00Z")->unix_s), 60);

  // The planner's own keys override [hub].
  config["latitude"] = 40.0;
  config["longitude"] = -3.7;
  config["step_s"] = 900;
  const LivePlannerSettings own = live_planner_settings(config, hub);
  EXPECT_DOUBLE_EQ(own.forecast.latitude_deg, 40.0);
  EXPECT_DOUBLE_EQ(own.forecast.longitude_deg, -3.7);
  EXPECT_EQ(own.step_s, 900);

  // An unknown zone is refused by name; no zone means UTC.
  EXPECT_THROW(live_planner_settings(config, {{"timezone", "Mars/Olympus"}}), std::invalid_argument);
  EXPECT_EQ(live_planner_settings(config, json::object()).forecast.offset_minutes(0), 0);
}
