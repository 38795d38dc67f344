// Price composition: import = (spot + margin + grid fee + energy tax) × (1 + VAT), export by mode; integer
// maths.
#include <gtest/gtest.h>

#include "decimal_price.hpp"
#include "tariff_composition.hpp"

using namespace hepek::tariff;

namespace {
MicroEurPerMwh eur(const char* text) {
  return *parse_decimal_micro(text);
}
}  // namespace

TEST(DecimalPrice, ParsesAndPrintsExactly) {
  EXPECT_EQ(parse_decimal_micro("95.12"), 95'120'000);
  EXPECT_EQ(parse_decimal_micro("-500"), -500'000'000);
  EXPECT_EQ(parse_decimal_micro("0.000001"), 1);
  EXPECT_EQ(parse_decimal_micro("+3.5"), 3'500'000);
  for (const char* bad : {"", "-", "1.", ".5", "1e3", "1.0000001", "12a", "NaN", "1,5", " 1"})
    EXPECT_FALSE(parse_decimal_micro(bad)) << bad;
  EXPECT_EQ(canonical_decimal(95'120'000), "95.12");
  EXPECT_EQ(canonical_decimal(-3'500'000), "-3.5");
  EXPECT_EQ(canonical_decimal(-1), "-0.000001");
  EXPECT_EQ(canonical_decimal(100'000'000), "100");
  EXPECT_EQ(canonical_decimal(0), "0");
  EXPECT_THROW(micro_from_eur_per_mwh(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
}

TEST(TariffComposition, ImportAddsFeesTaxAndMarginThenVat) {
  const auto c = composition_from_config({{"margin_eur_per_mwh", 20.0},
                                          {"grid_fee_eur_per_mwh", 50.0},
                                          {"energy_tax_eur_per_mwh", 130.16},
                                          {"vat_percent", 21.0}});
  // (100 + 20 + 50 + 130.16) × 1.21 = 363.1936
  EXPECT_EQ(c.import_price(eur("100")), eur("363.1936"));
  // Negative spot: the sum is what it is; VAT over a negative sum is negative (refunded).
  // (-400 + 200.16) × 1.21 = -241.8064
  EXPECT_EQ(c.import_price(eur("-400")), eur("-241.8064"));
  // Rounding to the micro-EUR, half away from zero: 0.000001 × 1.5 = 0.0000015 → 0.000002.
  TariffComposition half;
  half.vat_basis_points = 5000;
  EXPECT_EQ(half.import_price(1), 2);
  EXPECT_EQ(half.import_price(-1), -2);
}

TEST(TariffComposition, ExportModes) {
  auto spot =
      composition_from_config({{"export", "spot"}, {"export_fee_eur_per_mwh", 5.0}, {"vat_percent", 21.0}});
  EXPECT_EQ(spot.export_price(eur("80")), eur("75"));  // no VAT on export
  EXPECT_EQ(spot.export_price(eur("-50")), eur("-55"));
  auto fixed = composition_from_config({{"export", "fixed"}, {"export_fixed_eur_per_mwh", 70.0}});
  EXPECT_EQ(fixed.export_price(eur("-50")), eur("70"));
  auto none = composition_from_config({{"export", "none"}});
  EXPECT_FALSE(none.export_price(eur("80")).has_value());
  EXPECT_EQ(none.to_json().at("export"), "none");
}

TEST(TariffComposition, BadConfigIsNamed) {
  try {
    composition_from_config({{"export", "feed-in"}});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("export"), std::string::npos);
  }
  EXPECT_THROW(composition_from_config({{"vat_percent", -1.0}}), std::invalid_argument);
  EXPECT_THROW(composition_from_config({{"grid_fee_eur_per_mwh", "fifty"}}), std::invalid_argument);
}
