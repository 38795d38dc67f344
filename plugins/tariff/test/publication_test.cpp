// The hepek/tariff/prices message: slots at the source's resolution with all-in prices (integer µEUR/MWh),
// gaps flagged, the window cut by day-ahead visibility; and read back through the SDK's PriceMessage::parse
// (what every consumer uses), so the format cannot drift.
#include <gtest/gtest.h>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>
#include "csv_prices.hpp"
#include "day_ahead_visibility.hpp"
#include "price_publication.hpp"
#include "test_support.hpp"

using namespace hepek::tariff;

namespace {
const std::string kData = "plugins/tariff/test/data/";
std::int64_t at(const char* iso) {
  return hepek::timeseries::parse_iso8601(iso)->unix_s;
}
std::string nl_prices_path() {
  return hepek::testing::testdata("prices/nl_day_ahead_2023_hourly.csv");
}
TariffComposition dutch() {
  return composition_from_config({{"grid_fee_eur_per_mwh", 40.0},
                                  {"energy_tax_eur_per_mwh", 100.0},
                                  {"margin_eur_per_mwh", 10.0},
                                  {"vat_percent", 21.0},
                                  {"export", "spot"}});
}
}  // namespace

TEST(Publication, SlotsCarrySpotImportExportAndGapFlags) {
  const auto grid = read_csv_prices_file(kData + "gap_hourly.csv").grid;
  const auto message = price_message(grid, dutch(), grid.start_s, grid.end_s(), "csv", grid.start_s * 1000);
  const auto json = message.to_json();
  EXPECT_EQ(json.at("resolution_s"), 3600);
  EXPECT_EQ(json.at("unit"), "uEUR/MWh");
  EXPECT_EQ(json.at("gaps_filled"), 2);
  EXPECT_EQ(json.at("known_until_ms"), at("2023-08-01T06:00:00+02:00") * 1000);
  const auto& prices = message.prices;
  ASSERT_EQ(prices.size(), 6u);
  EXPECT_EQ(prices[0].start_ms, at("2023-08-01T00:00:00+02:00") * 1000);
  EXPECT_EQ(prices[0].end_ms(), at("2023-08-01T01:00:00+02:00") * 1000);
  EXPECT_EQ(prices[0].spot_ueur_per_mwh, 80'000'000);
  EXPECT_EQ(prices[0].import_ueur_per_mwh, 278'300'000);  // (80+150)×1.21
  EXPECT_EQ(prices[0].export_ueur_per_mwh, 80'000'000);
  EXPECT_FALSE(prices[0].filled);
  // The gap: import from the higher neighbour (70), export from the lower (−10).
  EXPECT_TRUE(prices[2].filled);
  EXPECT_EQ(prices[2].import_ueur_per_mwh, 266'200'000);  // (70+150)×1.21
  EXPECT_EQ(prices[2].export_ueur_per_mwh, -10'000'000);
  // Negative spot passes through.
  EXPECT_EQ(prices[4].spot_ueur_per_mwh, -10'000'000);
  EXPECT_EQ(prices[4].import_ueur_per_mwh, 169'400'000);  // (−10+150)×1.21

  // Consumers read it as published, through the one parser.
  const auto parsed = hepek::payloads::PriceMessage::parse(json.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  ASSERT_EQ(parsed->prices.size(), 6u);
  EXPECT_EQ(parsed->prices[2].start_ms, at("2023-08-01T02:00:00+02:00") * 1000);
  EXPECT_EQ(parsed->prices[2].end_ms(), at("2023-08-01T03:00:00+02:00") * 1000);
  EXPECT_EQ(parsed->prices[2].import_ueur_per_mwh, 266'200'000);
  EXPECT_EQ(parsed->prices[2].export_ueur_per_mwh, -10'000'000);
  EXPECT_EQ(parsed->prices, message.prices);
}

TEST(Publication, ExportNoneIsPublishedAsZero) {
  const auto grid = read_csv_prices_file(kData + "gap_hourly.csv").grid;
  const auto message = price_message(grid, composition_from_config({{"export", "none"}}), grid.start_s,
                                     grid.end_s(), "csv", 0);
  EXPECT_EQ(message.to_json().at("export"), "none");
  for (const auto& slot : message.prices) EXPECT_EQ(slot.export_ueur_per_mwh, 0);
}

TEST(Publication, ConflictingDuplicateSlotIsMarked) {
  const auto grid = read_csv_prices_file(kData + "duplicates.csv").grid;
  const auto message = price_message(grid, TariffComposition{}, grid.start_s, grid.end_s(), "csv", 0);
  const auto& slot = message.prices[2];
  EXPECT_TRUE(slot.conflicting);
  EXPECT_TRUE(message.to_json()["prices"][2].value("conflicting", false));
  EXPECT_EQ(slot.import_ueur_per_mwh, 65'000'000);
  EXPECT_EQ(slot.export_ueur_per_mwh, 60'000'000);
}

TEST(Publication, QuarterHourDstDayKeepsItsResolutionAndOffsets) {
  const auto grid = read_csv_prices_file(kData + "dst_autumn_15min.csv").grid;
  const auto message = price_message(grid, TariffComposition{}, grid.start_s, grid.end_s(), "csv", 0);
  EXPECT_EQ(message.resolution_s, 900);
  const auto& prices = message.prices;
  ASSERT_EQ(prices.size(), 100u);
  EXPECT_EQ(prices[11].start_ms, at("2023-10-29T02:45:00+02:00") * 1000);
  EXPECT_EQ(prices[11].end_ms(), at("2023-10-29T02:00:00+01:00") * 1000);
  EXPECT_EQ(prices[12].start_ms, at("2023-10-29T02:00:00+01:00") * 1000);
  EXPECT_EQ(message.known_until_ms(), at("2023-10-30T00:00:00+01:00") * 1000);
}

TEST(Publication, WindowFollowsDayAheadVisibility) {
  const auto grid = read_csv_prices_file(nl_prices_path()).grid;
  const auto count = [&](const char* now_text) {
    const std::int64_t now = at(now_text);
    const std::int64_t from = now - (now - grid.start_s) % grid.step_s;
    const std::int64_t until = std::min(day_ahead_visible_until(grid, now), now + 48 * 3600);
    return price_message(grid, TariffComposition{}, from, until, "csv", now * 1000).prices.size();
  };
  EXPECT_EQ(count("2023-08-01T12:59:00+02:00"), 12u);        // 12:00 … 23:00
  EXPECT_EQ(count("2023-08-01T13:00:00+02:00"), 11u + 24u);  // 13:00 … tomorrow 23:00
  EXPECT_EQ(count("2023-10-28T13:00:00+02:00"), 11u + 25u);  // tomorrow has 25 hours
  EXPECT_EQ(count("2023-03-25T13:00:00+01:00"), 11u + 23u);  // tomorrow has 23 hours
  EXPECT_EQ(count("2023-12-31T13:00:00+01:00"), 11u);        // the file ends tonight
}

TEST(Publication, StateShowsCurrentPricesAndHorizon) {
  const auto grid = read_csv_prices_file(kData + "gap_hourly.csv").grid;
  const auto message = price_message(grid, dutch(), grid.start_s, grid.end_s(), "csv", 0);
  const auto state = tariff_state(message, grid, at("2023-08-01T01:30:00+02:00"));
  EXPECT_DOUBLE_EQ(state.at("spot_eur_per_mwh").get<double>(), 70.0);
  EXPECT_DOUBLE_EQ(state.at("import_eur_per_mwh").get<double>(), 266.2);
  EXPECT_EQ(state.at("known_slots"), 5);
  EXPECT_EQ(state.at("gaps_filled"), 2);
  EXPECT_EQ(state.at("horizon_end"), "2023-08-01T06:00:00+02:00");
  const auto after = tariff_state(message, grid, at("2023-08-01T07:00:00+02:00"));
  EXPECT_TRUE(after.at("import_eur_per_mwh").is_null());
  EXPECT_EQ(after.at("known_slots"), 0);
}
