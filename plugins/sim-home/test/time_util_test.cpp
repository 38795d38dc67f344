// sim-home's own day arithmetic (ISO 8601 and the zone clock are lib/timeseries', tested there).
#include <gtest/gtest.h>

#include "time_util.hpp"

using namespace hepek::sim;

TEST(TimeUtil, DayOfYear) {
  EXPECT_EQ(day_of_year_utc(parse_iso8601_ms("2024-12-31T23:00:00Z")), 366);
}
