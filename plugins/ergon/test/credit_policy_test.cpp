#include <gtest/gtest.h>

#include "credit_policy.hpp"

namespace hepek::ergon {
namespace {

TEST(CreditPolicy, ProtectedHoursWrapMidnight) {
  const auto night = parse_protected_hours("22:00-07:00");
  ASSERT_TRUE(night);
  EXPECT_TRUE(night->contains(23 * 60));
  EXPECT_TRUE(night->contains(0));
  EXPECT_TRUE(night->contains(6 * 60 + 59));
  EXPECT_FALSE(night->contains(7 * 60));
  EXPECT_FALSE(night->contains(12 * 60));
  const auto day = parse_protected_hours("09:30-17:00");
  EXPECT_TRUE(day->contains(9 * 60 + 30));
  EXPECT_FALSE(day->contains(17 * 60));
  EXPECT_FALSE(parse_protected_hours(""));
  EXPECT_THROW(parse_protected_hours("25:00-07:00"), std::invalid_argument);
  EXPECT_THROW(parse_protected_hours("night"), std::invalid_argument);
}

TEST(CreditPolicy, LocalMinuteUsesTheHomeTimeZone) {
  // 2024-01-15T22:30:00Z is 23:30 in Amsterdam (CET), 2024-07-15T22:30:00Z is 00:30 (CEST).
  EXPECT_EQ(local_minute_of_day(1705357800000, "Europe/Amsterdam"), 23 * 60 + 30);
  EXPECT_EQ(local_minute_of_day(1721082600000, "Europe/Amsterdam"), 30);
  EXPECT_EQ(local_minute_of_day(1705357800000, "UTC"), 22 * 60 + 30);
}

TEST(CreditPolicy, Decisions) {
  CreditInput in;
  in.low_threshold = 100;
  in.remaining = 101;
  EXPECT_EQ(decide_credit(in).state, "ok");
  in.remaining = 100;
  EXPECT_EQ(decide_credit(in).state, "low");
  EXPECT_TRUE(decide_credit(in).relay_on);
  EXPECT_TRUE(decide_credit(in).warn);
  in.remaining = 0;
  EXPECT_EQ(decide_credit(in).state, "cut");
  EXPECT_FALSE(decide_credit(in).relay_on);
  in.emergency_available = true;
  EXPECT_EQ(decide_credit(in).state, "emergency");
  in.inside_protected_hours = true;
  EXPECT_EQ(decide_credit(in).state, "protected");
  in.owner_override = true;
  EXPECT_EQ(decide_credit(in).state, "override");
  EXPECT_TRUE(decide_credit(in).relay_on);
}

}  // namespace
}  // namespace hepek::ergon
