#include "decimal.hpp"

#include <gtest/gtest.h>

using hepek::dsmr::Decimal;

TEST(Decimal, KeepsTextAndExactValue) {
  const auto d = Decimal::parse("001581.123");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->text(), "001581.123");
  EXPECT_EQ(d->mantissa(), 1581123);
  EXPECT_EQ(d->scale(), 3);
  EXPECT_DOUBLE_EQ(d->to_double(), 1581.123);
}

TEST(Decimal, KilowattHoursBecomeWattHoursExactly) {
  EXPECT_EQ(Decimal::parse("001581.123")->scaled(3), 1581123);
  EXPECT_EQ(Decimal::parse("000000.000")->scaled(3), 0);
  EXPECT_EQ(Decimal::parse("12345.678")->scaled(3), 12345678);
  EXPECT_EQ(Decimal::parse("999999.999")->scaled(3), 999999999);
  EXPECT_EQ(Decimal::parse("02.027")->scaled(3), 2027);
  EXPECT_EQ(Decimal::parse("1.01")->scaled(3), 1010);
  EXPECT_TRUE(Decimal::parse("1.01")->exact_at(3));
  // A float would give 4.425999... * 1000 = 4425.999...: the integer path cannot.
  EXPECT_EQ(Decimal::parse("000004.426")->scaled(3), 4426);
}

TEST(Decimal, RoundsHalfAwayFromZeroWhenDigitsAreLost) {
  EXPECT_EQ(Decimal::parse("0.0005")->scaled(3), 1);
  EXPECT_EQ(Decimal::parse("0.0004")->scaled(3), 0);
  EXPECT_EQ(Decimal::parse("-0.0005")->scaled(3), -1);
  EXPECT_FALSE(Decimal::parse("0.0005")->exact_at(3));
}

TEST(Decimal, ComparesByValue) {
  EXPECT_TRUE(Decimal::parse("0230.0")->same_value(*Decimal::parse("230")));
  EXPECT_TRUE(Decimal::parse("003")->same_value(*Decimal::parse("3")));
  EXPECT_FALSE(Decimal::parse("0.48")->same_value(*Decimal::parse("0.44")));
}

TEST(Decimal, RejectsWhatIsNotADecimal) {
  std::string reason;
  EXPECT_FALSE(Decimal::parse("", &reason));
  EXPECT_EQ(reason, "empty number");
  EXPECT_FALSE(Decimal::parse("1.2.3", &reason));
  EXPECT_EQ(reason, "more than one '.'");
  EXPECT_FALSE(Decimal::parse("12a", &reason));
  EXPECT_FALSE(Decimal::parse(".", &reason));
  EXPECT_FALSE(Decimal::parse("1234567890123456789", &reason));  // 19 significant digits
  EXPECT_EQ(reason, "more than 18 significant digits");
  EXPECT_TRUE(Decimal::parse("0000000000000000000000001"));  // leading zeros are not significant
}

TEST(Decimal, ScaledReportsOverflow) {
  EXPECT_FALSE(Decimal::parse("999999999999999999")->scaled(3));
}
