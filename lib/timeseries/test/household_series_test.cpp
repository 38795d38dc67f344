// The canonical household form (moved from the planner's csv tests).
#include "hepek/timeseries/household_series.hpp"

#include <sstream>

#include <gtest/gtest.h>

namespace hepek::timeseries {
namespace {

TEST(HouseholdCsv, GapsFilledFromAWeekEarlier) {
  std::string text = "time,load_w,pv_w\n";
  const std::int64_t start = parse_iso8601("2023-07-01T00:00:00+02:00")->unix_s;
  for (int k = 0; k < 8 * 48; ++k) {
    if (k == 7 * 48 + 5) continue;  // one missing half hour on day 8
    text += format_iso8601(start + k * 1800, 120) + "," + std::to_string(100 + k) + "," +
            std::to_string(k % 48) + "\n";
  }
  std::istringstream in(text);
  const auto household = read_household_csv(in, "home.csv");
  EXPECT_EQ(household.step_s(), 1800);
  EXPECT_EQ(household.series.gaps_filled, 1);
  EXPECT_DOUBLE_EQ(household.load_w_at(start + (7 * 48 + 5) * 1800), 100 + 5);
  EXPECT_DOUBLE_EQ(household.pv_w_at(start + (7 * 48 + 5) * 1800), 5);
}

TEST(HouseholdCsv, NegativePowerIsABadRow) {
  std::istringstream in(
      "time,load_w,pv_w\n2023-07-01T00:00:00+02:00,100,0\n2023-07-01T00:30:00+02:00,-3,0\n");
  try {
    read_household_csv(in, "home.csv");
    FAIL() << "accepted a negative load";
  } catch (const CsvError& e) {
    EXPECT_NE(std::string(e.what()).find("home.csv:3: load_w -3 must not be negative"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace hepek::timeseries
