#include <gtest/gtest.h>

#include "synthetic_load.hpp"
#include "time_util.hpp"

using namespace hepek::sim;

namespace {
constexpr std::int64_t kQuarter = 15 * 60 * 1000;
SyntheticLoadOptions options_with_seed(std::uint64_t seed) {
  SyntheticLoadOptions options;
  options.seed = seed;
  return options;
}
}  // namespace

TEST(SyntheticLoad, SameSeedSameSeriesOtherSeedOtherSeries) {
  SyntheticLoad a(options_with_seed(7)), b(options_with_seed(7)), c(options_with_seed(8));
  const std::int64_t start = parse_iso8601_ms("2024-03-01T00:00:00Z");
  bool any_difference = false;
  for (int i = 0; i < 96 * 3; ++i) {
    const std::int64_t t = start + i * kQuarter;
    ASSERT_EQ(a.energy_mwh(t, kQuarter), b.energy_mwh(t, kQuarter));
    any_difference |= a.energy_mwh(t, kQuarter) != c.energy_mwh(t, kQuarter);
  }
  EXPECT_TRUE(any_difference);
  // Order-independence: querying backwards gives the same values.
  SyntheticLoad d(options_with_seed(7));
  for (int i = 96 * 3 - 1; i >= 0; --i)
    ASSERT_EQ(d.energy_mwh(start + i * kQuarter, kQuarter), a.energy_mwh(start + i * kQuarter, kQuarter));
}

TEST(SyntheticLoad, StepSizesAgree) {
  SyntheticLoad load(options_with_seed(3));
  const std::int64_t start = parse_iso8601_ms("2024-05-06T00:00:00Z");
  const MilliWattHours hour = load.energy_mwh(start, 4 * kQuarter);
  MilliWattHours quarters = 0;
  for (int i = 0; i < 4; ++i) quarters += load.energy_mwh(start + i * kQuarter, kQuarter);
  EXPECT_NEAR(hour, quarters, 2);
  // A 5-minute step holds the quarter-hour value.
  EXPECT_NEAR(load.energy_mwh(start, kQuarter / 3) * 3, load.energy_mwh(start, kQuarter), 2);
}

TEST(SyntheticLoad, AnnualEnergyAndShape) {
  SyntheticLoadOptions options = options_with_seed(1);
  options.annual_kwh = 3500;
  SyntheticLoad load(options);
  const std::int64_t start = parse_iso8601_ms("2023-01-01T00:00:00Z");
  const MilliWattHours year = load.energy_mwh(start, 365 * kMillisPerDay);
  EXPECT_NEAR(static_cast<double>(year) / 1e6, 3500.0, 3500.0 * 0.05);
  // Winter month above summer month; evening above the small hours.
  const MilliWattHours january = load.energy_mwh(start, 31 * kMillisPerDay);
  const MilliWattHours july = load.energy_mwh(parse_iso8601_ms("2023-07-01T00:00:00Z"), 31 * kMillisPerDay);
  EXPECT_GT(january, july * 12 / 10);
  EXPECT_GT(SyntheticLoad::daily_shape(19.5, false), 2 * SyntheticLoad::daily_shape(3.0, false));
  // Weekend mornings start later than weekday mornings.
  EXPECT_GT(SyntheticLoad::daily_shape(7.25, false), SyntheticLoad::daily_shape(7.25, true));
}

TEST(SyntheticLoad, RejectsBadOptions) {
  SyntheticLoadOptions options;
  options.noise = 1.5;
  EXPECT_THROW(SyntheticLoad{options}, std::invalid_argument);
  options = {};
  options.timezone = "Nowhere/Land";
  EXPECT_THROW(SyntheticLoad{options}, std::invalid_argument);
}
