#include <gtest/gtest.h>

#include "price_table.hpp"
#include "time_util.hpp"

using namespace hepek::sim;

TEST(PriceTable, ParsesCanonicalEntriesAndHoldsUntilTheNext) {
  const auto table = parse_price_table(nlohmann::json::parse(R"({"prices":[
      {"time":"2023-07-02T12:00:00+02:00","price_eur_per_mwh":-500.0},
      {"time":"2023-07-02T13:00:00+02:00","price_eur_per_mwh":95.5}]})"));
  const std::int64_t surcharge = 150'000;  // 0.15 EUR/kWh
  EXPECT_EQ(table.import_at(parse_iso8601_ms("2023-07-02T12:30:00+02:00"), surcharge), -500'000 + 150'000);
  EXPECT_EQ(table.export_at(parse_iso8601_ms("2023-07-02T12:30:00+02:00"), 0), -500'000);
  EXPECT_EQ(table.import_at(parse_iso8601_ms("2023-07-02T13:59:00+02:00"), 0), 95'500);  // lasts the spacing
  EXPECT_FALSE(table.import_at(parse_iso8601_ms("2023-07-02T14:00:00+02:00"), 0).has_value());
  EXPECT_FALSE(table.import_at(parse_iso8601_ms("2023-07-02T11:59:00+02:00"), 0).has_value());
}

TEST(PriceTable, AllInImportAndExportPricesWinOverSpotPlusSurcharge) {
  const auto table = parse_price_table(nlohmann::json::parse(R"({"resolution_s":900,"prices":[
      {"start":"2024-01-01T00:00:00Z","import_eur_per_mwh":250.0,"export_eur_per_mwh":40.0}]})"));
  EXPECT_EQ(table.import_at(parse_iso8601_ms("2024-01-01T00:14:59Z"), 150'000), 250'000);
  EXPECT_EQ(table.export_at(parse_iso8601_ms("2024-01-01T00:00:00Z"), 150'000), 40'000);
  EXPECT_FALSE(table.import_at(parse_iso8601_ms("2024-01-01T00:15:00Z"), 0).has_value());
}

TEST(PriceTable, RejectsBadSignals) {
  EXPECT_THROW(parse_price_table(nlohmann::json::parse(R"({"price":[]})")), std::invalid_argument);
  EXPECT_THROW(parse_price_table(nlohmann::json::parse(R"({"prices":[{"time":"x","price_eur_per_mwh":1}]})")),
               std::invalid_argument);
  EXPECT_THROW(parse_price_table(nlohmann::json::parse(R"({"prices":[{"time":0,"price_eur_per_mwh":"1"}]})")),
               std::invalid_argument);
  EXPECT_EQ(micro_eur_per_kwh(0.30), 300'000);
}
