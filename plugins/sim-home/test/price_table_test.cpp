#include <gtest/gtest.h>

#include "price_table.hpp"
#include "time_util.hpp"

using namespace hepek::sim;

// Prices in µEUR/MWh, the contract's one unit: 1 EUR/MWh = 1'000'000.
TEST(PriceTable, SpotOnlyIntervalsGetTheSurchargeAndHoldUntilTheirEnd) {
  const std::int64_t noon = parse_iso8601_ms("2023-07-02T12:00:00+02:00");
  const PriceTable table({{noon, noon + 3'600'000, -500'000'000, std::nullopt, std::nullopt},
                          {noon + 3'600'000, noon + 7'200'000, 95'500'000, std::nullopt, std::nullopt}});
  const std::int64_t surcharge = 150'000'000;  // 0.15 EUR/kWh
  EXPECT_EQ(table.import_at(parse_iso8601_ms("2023-07-02T12:30:00+02:00"), surcharge),
            -500'000'000 + 150'000'000);
  EXPECT_EQ(table.export_at(parse_iso8601_ms("2023-07-02T12:30:00+02:00"), 0), -500'000'000);
  EXPECT_EQ(table.import_at(parse_iso8601_ms("2023-07-02T13:59:00+02:00"), 0),
            95'500'000);  // lasts its length
  EXPECT_FALSE(table.import_at(parse_iso8601_ms("2023-07-02T14:00:00+02:00"), 0).has_value());
  EXPECT_FALSE(table.import_at(parse_iso8601_ms("2023-07-02T11:59:00+02:00"), 0).has_value());
}

TEST(PriceTable, AllInImportAndExportPricesWinOverSpotPlusSurcharge) {
  const auto table =
      parse_price_table(nlohmann::json::parse(R"({"unit":"uEUR/MWh","resolution_s":900,"prices":[
      {"start_ms":1704067200000,"length_s":900,"import_ueur_per_mwh":250000000,"export_ueur_per_mwh":40000000,
       "spot_ueur_per_mwh":90000000}]})"));
  EXPECT_EQ(table.import_at(parse_iso8601_ms("2024-01-01T00:14:59Z"), 150'000'000), 250'000'000);
  EXPECT_EQ(table.export_at(parse_iso8601_ms("2024-01-01T00:00:00Z"), 150'000'000), 40'000'000);
  EXPECT_FALSE(table.import_at(parse_iso8601_ms("2024-01-01T00:15:00Z"), 0).has_value());
}

TEST(PriceTable, RejectsBadSignals) {
  EXPECT_THROW(parse_price_table(nlohmann::json::parse(R"({"unit":"uEUR/MWh","price":[]})")),
               std::invalid_argument);
  EXPECT_THROW(
      parse_price_table(nlohmann::json::parse(
          R"({"unit":"uEUR/MWh","prices":[{"start_ms":"x","length_s":900,"import_ueur_per_mwh":1,"export_ueur_per_mwh":1}]})")),
      std::invalid_argument);
  EXPECT_THROW(
      parse_price_table(nlohmann::json::parse(
          R"({"unit":"uEUR/MWh","prices":[{"start_ms":0,"length_s":900,"import_ueur_per_mwh":"1","export_ueur_per_mwh":1}]})")),
      std::invalid_argument);
  // A version-1 message (double EUR/MWh) is refused with the reason, not misread.
  try {
    parse_price_table(
        nlohmann::json::parse(R"({"unit":"EUR/MWh","prices":[{"time":0,"price_eur_per_mwh":1}]})"));
    ADD_FAILURE() << "a version-1 message was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("version-1"), std::string::npos) << error.what();
  }
  EXPECT_EQ(micro_eur_per_kwh(0.30), 300'000);
  EXPECT_EQ(micro_eur_per_mwh_from_eur_per_kwh(0.30), 300'000'000);
  EXPECT_EQ(micro_eur_per_kwh_from_micro_per_mwh(278'300'500), 278'301);
  EXPECT_EQ(micro_eur_per_kwh_from_micro_per_mwh(-10'000'400), -10'000);
}
