#include "state_samples.hpp"

#include <gtest/gtest.h>

namespace hepek::recorder {
namespace {

DeviceMetadata meter() {
  auto parsed = parse_device_metadata("meter", R"({"schema":1,"device":"meter","entities":[
      {"field":"power","unit":"W","state_class":"measurement"},
      {"field":"energy","unit":"Wh","state_class":"total_increasing"},
      {"field":"tariff"},
      {"field":"note","recorded":false},
      {"field":"on"},
      {"field":"level","unit":"%"}]})");
  return std::move(parsed).value();
}

constexpr int64_t kNow = 1'700'000'000'000;

TEST(StateSamples, RecordsDeclaredNumbersAtTheStateTime) {
  const auto result = samples_from_state(
      meter(), R"({"ts":"2024-01-01T00:00:00Z","power":512.5,"energy":1000,"on":true,"undeclared":5})", kNow);
  ASSERT_TRUE(result) << result.error();
  EXPECT_TRUE(result->time_from_state);
  ASSERT_EQ(result->samples.size(), 3u);
  EXPECT_EQ(result->samples[0].field, "power");
  EXPECT_DOUBLE_EQ(result->samples[0].value, 512.5);
  EXPECT_EQ(result->samples[0].ts_ms, 1'704'067'200'000);
  EXPECT_EQ(result->samples[1].field, "energy");
  EXPECT_EQ(result->samples[2].field, "on");
  EXPECT_DOUBLE_EQ(result->samples[2].value, 1.0);
  EXPECT_TRUE(result->skipped.empty());
}

TEST(StateSamples, UsesTheHubClockWithoutTs) {
  const auto result = samples_from_state(meter(), R"({"power":1})", kNow);
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->time_from_state);
  ASSERT_EQ(result->samples.size(), 1u);
  EXPECT_EQ(result->samples[0].ts_ms, kNow);
  EXPECT_TRUE(result->warning.empty());
}

TEST(StateSamples, BadTsFallsBackToTheClockWithAWarning) {
  const auto result = samples_from_state(meter(), R"({"ts":"noon","power":1})", kNow);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->samples.at(0).ts_ms, kNow);
  EXPECT_NE(result->warning.find("\"noon\""), std::string::npos);
}

// Found by fuzz_recorder_input: the warning about a bad "ts" and the note about a skipped value (both logged on the
// bus) quoted the whole value. They quote at most 64 bytes of it now.
TEST(StateSamples, WarningsQuoteAShortPrefix) {
  const std::string huge(100000, '9');
  const auto result =
      samples_from_state(meter(), R"({"ts":")" + huge + R"(","level":")" + huge + R"("})", kNow);
  ASSERT_TRUE(result);
  EXPECT_LT(result->warning.size(), 200u) << result->warning;
  ASSERT_EQ(result->skipped.size(), 1u);
  EXPECT_LT(result->skipped[0].size(), 200u) << result->skipped[0];
}

TEST(StateSamples, NumericStringsOnlyWhereMetadataSaysNumeric) {
  const auto result = samples_from_state(
      meter(), R"({"power":"230.5","tariff":"0001","level":"full","energy":{"a":1}})", kNow);
  ASSERT_TRUE(result);
  ASSERT_EQ(result->samples.size(), 1u);
  EXPECT_EQ(result->samples[0].field, "power");
  EXPECT_DOUBLE_EQ(result->samples[0].value, 230.5);
  // "tariff" is text (no unit, no state class): silently not recorded. The two numeric fields with
  // non-numbers are reported.
  ASSERT_EQ(result->skipped.size(), 2u);
  EXPECT_NE(result->skipped[0].find("energy"), std::string::npos);
  EXPECT_NE(result->skipped[1].find("level"), std::string::npos);
}

TEST(StateSamples, NullAndUnrecordedFieldsAreIgnored) {
  const auto result = samples_from_state(meter(), R"({"power":null,"note":5})", kNow);
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->samples.empty());
  EXPECT_TRUE(result->skipped.empty());
}

TEST(StateSamples, GarbageIsAnErrorNamingTheDevice) {
  for (const char* payload : {"{\"power\":", "online", "[1]", "", "\xff\xfe"}) {
    const auto result = samples_from_state(meter(), payload, kNow);
    ASSERT_FALSE(result) << payload;
    EXPECT_NE(result.error().find("'meter'"), std::string::npos);
  }
}

TEST(StateSamples, NulBytesDuplicateKeysAndDeepNestingAreErrors) {
  const std::string deep = std::string(30000, '[') + std::string(30000, ']');
  for (const std::string& payload : {std::string("{\"power\":1}") + '\0' + "{\"power\":2}",
                                     std::string(R"({"power":1,"power":2})"), "{\"power\":" + deep + "}"}) {
    const auto result = samples_from_state(meter(), payload, kNow);
    ASSERT_FALSE(result) << payload.substr(0, 40);
    EXPECT_NE(result.error().find("'meter' is not valid JSON: "), std::string::npos) << result.error();
    EXPECT_LT(result.error().size(), 400u) << result.error();
  }
}

TEST(StateSamples, AHugeValueIsQuotedShort) {
  const std::string huge(500000, 'x');
  const auto result =
      samples_from_state(meter(), R"({"ts":")" + huge + R"(","power":")" + huge + R"("})", kNow);
  ASSERT_TRUE(result) << result.error();
  EXPECT_LT(result->warning.size(), 200u) << result->warning;
  EXPECT_NE(result->warning.find("(500002 bytes)"), std::string::npos) << result->warning;
  ASSERT_EQ(result->skipped.size(), 1u);
  EXPECT_LT(result->skipped[0].size(), 200u) << result->skipped[0];
}

}  // namespace
}  // namespace hepek::recorder
