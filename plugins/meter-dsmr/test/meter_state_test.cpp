#include "meter_state.hpp"

#include <gtest/gtest.h>
#include <hepek/interfaces.hpp>

#include "dsmr_test_data.hpp"
#include "parser.hpp"

using namespace hepek::dsmr;

namespace {

nlohmann::json state_of(const std::string& file) {
  const auto result = parse_telegram(test_data::telegram_file(file));
  EXPECT_TRUE(result.ok()) << result.error().to_string();
  return result.ok() ? meter_state(result.telegram()) : nlohmann::json::object();
}

}  // namespace

TEST(MeterState, EnergyInExactWattHoursAndPowerInWatts) {
  const auto s = state_of("ndokter_telegram_v4_2.txt");
  EXPECT_EQ(s["energy_import_tariff1"], 1581123);
  EXPECT_EQ(s["energy_import_tariff2"], 1435706);
  EXPECT_EQ(s["energy_import"], 1581123 + 1435706);
  EXPECT_TRUE(s["energy_import"].is_number_integer());
  EXPECT_EQ(s["energy_export"], 0);
  EXPECT_EQ(s["power_import"], 2027);
  EXPECT_EQ(s["power_export"], 0);
  EXPECT_EQ(s["power"], 2027);
  EXPECT_EQ(s["power_import_l2"], 1247);
  EXPECT_EQ(s["power_l2"], 1247);
  EXPECT_EQ(s["current_l2"], 6.0);
  EXPECT_FALSE(s.contains("voltage_l1"));  // DSMR 4.2 telegram without voltages
  EXPECT_EQ(s["gas"], 981.443);
  EXPECT_EQ(s["gas_ts"], "2016-11-29T20:00:00+01:00");
  EXPECT_EQ(s["tariff"], "0002");
  EXPECT_EQ(s["meter_ts"], "2016-11-13T20:57:57+01:00");
  EXPECT_EQ(s["power_failures"], 15);
  EXPECT_EQ(s["power_failures_long"], 7);
  EXPECT_EQ(s["dsmr_version"], "42");
}

TEST(MeterState, ExportMakesNetPowerNegative) {
  const auto s = state_of("ndokter_telegram_v5.txt");
  EXPECT_EQ(s["energy_export_tariff1"], 2444);
  EXPECT_EQ(s["voltage_l3"], 229.0);
  EXPECT_EQ(s["current_l1"], 0.48);
  EXPECT_EQ(s["gas"], 0.107);
}

TEST(MeterState, BelgianMeterGasWaterAndCapacityTariff) {
  const auto s = state_of("ndokter_telegram_fluvius_v171.txt");
  EXPECT_EQ(s["gas"], 112.384);  // channel 1, device type 3
  EXPECT_EQ(s["gas_ts"], "2020-05-12T13:45:58+02:00");
  EXPECT_EQ(s["water"], 872.234);  // channel 2, device type 7: not gas
  EXPECT_EQ(s["demand_average"], 2351);
  EXPECT_EQ(s["demand_peak_month"], 2589);
  EXPECT_EQ(s["demand_peak_month_ts"], "2020-05-09T13:45:58+02:00");
  EXPECT_EQ(s["energy_export"], 11);
  EXPECT_EQ(s["dsmr_version"], "50217");
}

TEST(MeterState, LegacyGasProfile) {
  const auto s = state_of("ndokter_telegram_v2_2.txt");
  EXPECT_EQ(s["gas"], 1.001);
  EXPECT_EQ(s["power_import"], 1010);
  EXPECT_FALSE(s.contains("meter_ts"));
}

TEST(MeterState, EntitiesDescribeExactlyThePresentFields) {
  auto s = state_of("ndokter_telegram_fluvius_v171.txt");
  const auto entities = meter_entities(s);
  std::size_t known = 0;
  for (const auto& entity : entities) {
    EXPECT_TRUE(s.contains(entity.field)) << entity.field;
    if (entity.field == "energy_import") {
      EXPECT_EQ(entity.unit, "Wh");
      EXPECT_EQ(entity.state_class, "total_increasing");
    }
    if (entity.field == "gas") {
      EXPECT_EQ(entity.unit, "m³");
    }
    ++known;
  }
  // Every field of the state is described, except the structured lists (mbus, problems), which are not
  // entities.
  EXPECT_TRUE(s.contains("mbus"));
  EXPECT_EQ(known, s.size() - 1);
}

TEST(MeterState, DeviceImplementsTheGridMeterInterfaceWithRoleGrid) {
  const auto s = state_of("ndokter_telegram_fluvius_v171.txt");
  const auto config = meter_device("meter", s, "/FLU5\\253770234_A").to_json();
  EXPECT_EQ(config.at("schema"), 2);
  EXPECT_TRUE(
      hepek::interfaces::check_implements(config, hepek::interfaces::kGridMeter, hepek::interfaces::kRoleGrid)
          .ok())
      << hepek::interfaces::check_implements(config, hepek::interfaces::kGridMeter).error();
  // A telegram without energy counters (a broken or partial one) does not claim the interface.
  const auto partial = meter_device("meter", nlohmann::json{{"power", 5}}, "/X").to_json();
  EXPECT_FALSE(partial.contains("interfaces"));
  EXPECT_EQ(partial.at("schema"), 1);
}
