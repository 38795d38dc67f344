// The hepek/tariff/prices message: slots at the source's resolution with all-in prices, gaps flagged, the
// window cut by day-ahead visibility; and read back by the planner's own parser (the consumer), so the format
// cannot drift.
#include <gtest/gtest.h>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>
#include "csv_prices.hpp"
#include "day_ahead_visibility.hpp"
#include "live_planner.hpp"
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
  EXPECT_EQ(message.at("resolution_s"), 3600);
  EXPECT_EQ(message.at("unit"), "EUR/MWh");
  EXPECT_EQ(message.at("gaps_filled"), 2);
  EXPECT_EQ(message.at("known_until"), "2023-08-01T06:00:00+02:00");
  const auto& prices = message.at("prices");
  ASSERT_EQ(prices.size(), 6u);
  EXPECT_EQ(prices[0].at("start"), "2023-08-01T00:00:00+02:00");
  EXPECT_EQ(prices[0].at("end"), "2023-08-01T01:00:00+02:00");
  EXPECT_DOUBLE_EQ(prices[0].at("price_eur_per_mwh").get<double>(), 80.0);
  EXPECT_DOUBLE_EQ(prices[0].at("import_eur_per_mwh").get<double>(), 278.3);  // (80+150)×1.21
  EXPECT_DOUBLE_EQ(prices[0].at("export_eur_per_mwh").get<double>(), 80.0);
  EXPECT_FALSE(prices[0].at("filled").get<bool>());
  // The gap: import from the higher neighbour (70), export from the lower (−10).
  EXPECT_TRUE(prices[2].at("filled").get<bool>());
  EXPECT_DOUBLE_EQ(prices[2].at("import_eur_per_mwh").get<double>(), 266.2);  // (70+150)×1.21
  EXPECT_DOUBLE_EQ(prices[2].at("export_eur_per_mwh").get<double>(), -10.0);
  // Negative spot passes through.
  EXPECT_DOUBLE_EQ(prices[4].at("price_eur_per_mwh").get<double>(), -10.0);
  EXPECT_DOUBLE_EQ(prices[4].at("import_eur_per_mwh").get<double>(), 169.4);  // (−10+150)×1.21

  // The planner reads it as published (all-in prices win over its own surcharges).
  const auto parsed = hepek::planner::parse_price_message(message, {999, 999});
  ASSERT_EQ(parsed.size(), 6u);
  EXPECT_EQ(parsed[2].start_s, at("2023-08-01T02:00:00+02:00"));
  EXPECT_EQ(parsed[2].end_s, at("2023-08-01T03:00:00+02:00"));
  EXPECT_DOUBLE_EQ(parsed[2].import_eur_per_mwh, 266.2);
  EXPECT_DOUBLE_EQ(parsed[2].export_eur_per_mwh, -10.0);
}

TEST(Publication, ExportNoneIsPublishedAsZero) {
  const auto grid = read_csv_prices_file(kData + "gap_hourly.csv").grid;
  const auto message = price_message(grid, composition_from_config({{"export", "none"}}), grid.start_s,
                                     grid.end_s(), "csv", 0);
  EXPECT_EQ(message.at("export"), "none");
  for (const auto& slot : message.at("prices")) EXPECT_EQ(slot.at("export_eur_per_mwh").get<double>(), 0.0);
}

TEST(Publication, ConflictingDuplicateSlotIsMarked) {
  const auto grid = read_csv_prices_file(kData + "duplicates.csv").grid;
  const auto message = price_message(grid, TariffComposition{}, grid.start_s, grid.end_s(), "csv", 0);
  const auto& slot = message.at("prices")[2];
  EXPECT_TRUE(slot.value("conflicting", false));
  EXPECT_DOUBLE_EQ(slot.at("import_eur_per_mwh").get<double>(), 65.0);
  EXPECT_DOUBLE_EQ(slot.at("export_eur_per_mwh").get<double>(), 60.0);
}

TEST(Publication, QuarterHourDstDayKeepsItsResolutionAndOffsets) {
  const auto grid = read_csv_prices_file(kData + "dst_autumn_15min.csv").grid;
  const auto message = price_message(grid, TariffComposition{}, grid.start_s, grid.end_s(), "csv", 0);
  EXPECT_EQ(message.at("resolution_s"), 900);
  const auto& prices = message.at("prices");
  ASSERT_EQ(prices.size(), 100u);
  EXPECT_EQ(prices[11].at("start"), "2023-10-29T02:45:00+02:00");
  EXPECT_EQ(prices[11].at("end"), "2023-10-29T02:00:00+01:00");
  EXPECT_EQ(prices[12].at("start"), "2023-10-29T02:00:00+01:00");
  EXPECT_EQ(message.at("known_until"), "2023-10-30T00:00:00+01:00");
}

TEST(Publication, WindowFollowsDayAheadVisibility) {
  const auto grid = read_csv_prices_file(nl_prices_path()).grid;
  const auto count = [&](const char* now_text) {
    const std::int64_t now = at(now_text);
    const std::int64_t from = now - (now - grid.start_s) % grid.step_s;
    const std::int64_t until = std::min(day_ahead_visible_until(grid, now), now + 48 * 3600);
    return price_message(grid, TariffComposition{}, from, until, "csv", now * 1000).at("prices").size();
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
  const auto state = tariff_state(message, at("2023-08-01T01:30:00+02:00"));
  EXPECT_DOUBLE_EQ(state.at("spot_eur_per_mwh").get<double>(), 70.0);
  EXPECT_DOUBLE_EQ(state.at("import_eur_per_mwh").get<double>(), 266.2);
  EXPECT_EQ(state.at("known_slots"), 5);
  EXPECT_EQ(state.at("gaps_filled"), 2);
  EXPECT_EQ(state.at("horizon_end"), "2023-08-01T06:00:00+02:00");
  const auto after = tariff_state(message, at("2023-08-01T07:00:00+02:00"));
  EXPECT_TRUE(after.at("import_eur_per_mwh").is_null());
  EXPECT_EQ(after.at("known_slots"), 0);
}
