#include <gtest/gtest.h>

#include "pricing.hpp"
#include "proof_verifier.hpp"

namespace hepek::ergon {
namespace {

TEST(Pricing, RoundsUpToTheBaseUnit) {
  const eth::uint256 tariff = eth::parse_units("0.25", 18);  // 0.25 ERGON per kWh
  EXPECT_EQ(price_of_energy(1000, tariff), tariff);
  EXPECT_EQ(price_of_energy(0, tariff), 0);
  EXPECT_EQ(price_of_energy(1, tariff), eth::parse_uint256("250000000000000"));
  EXPECT_EQ(price_of_energy(1, 1), 1);     // 0.001 rounds up to 1
  EXPECT_EQ(price_of_energy(1000, 1), 1);  // exact
  EXPECT_EQ(price_of_energy(1001, 1), 2);
  EXPECT_EQ(price_of_energy(7, 3), 1);  // 21/1000 → 1
}

TEST(Pricing, SumOfCyclePricesCoversTheTotal) {
  eth::uint256 sum = 0;
  for (int wh = 1; wh <= 96; ++wh) sum += price_of_energy(wh, 333);
  EXPECT_GE(sum, price_of_energy(96 * 97 / 2, 333));
}

TEST(Pricing, OverflowIsAnErrorNotAWrap) {
  const eth::uint256 max = ~eth::uint256(0);
  EXPECT_THROW(price_of_energy(max, 2), std::overflow_error);
}

}  // namespace
}  // namespace hepek::ergon
