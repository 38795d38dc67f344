// hepek::json_limits: the pre-scan counts nesting outside strings only, names the limit and the byte offset, and
// refuses over-size input before scanning it.
#include <gtest/gtest.h>

#include <hepek/json_limits.hpp>

namespace {
namespace limits = hepek::json_limits;

std::string nested(std::size_t levels) {
  return std::string(levels, '[') + std::string(levels, ']');
}

TEST(JsonLimits, SixtyFourLevelsPassSixtyFiveDoNot) {
  EXPECT_TRUE(limits::check(nested(64)));
  const auto deep = limits::check(nested(65));
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.code(), HEPEK_INVALID);
  EXPECT_EQ(deep.error(), "JSON nesting deeper than 64 levels at byte 64 (of 130)");
}

TEST(JsonLimits, HundredThousandLevelsAreRefusedWithoutRecursion) {
  const auto deep = limits::parse_limited(nested(100000));
  ASSERT_FALSE(deep);
  EXPECT_NE(deep.error().find("nesting deeper than 64 levels"), std::string::npos) << deep.error();
}

TEST(JsonLimits, BracketsInsideStringsDoNotCount) {
  const std::string text = "{\"a\":\"" + std::string(1000, '[') + "\\\"{{{\"}";
  EXPECT_TRUE(limits::check(text)) << limits::check(text).error();
  const auto parsed = limits::parse_limited(text);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ((*parsed)["a"].get<std::string>().size(), 1004u);
}

TEST(JsonLimits, SizeIsCheckedFirstAndNamed) {
  const auto big = limits::check(std::string(100, ' '), 64, 99);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error(), "JSON of 100 bytes is larger than the limit of 99 bytes");
  EXPECT_TRUE(limits::check(std::string(limits::kMaxBytes, ' ')));
  EXPECT_FALSE(limits::check(std::string(limits::kMaxBytes + 1, ' ')));
}

TEST(JsonLimits, ParseErrorsStillSayNotValidJson) {
  const auto bad = limits::parse_limited("{\"a\":");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("not valid JSON"), std::string::npos) << bad.error();
}

}  // namespace
