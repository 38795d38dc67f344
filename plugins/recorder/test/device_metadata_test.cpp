#include "device_metadata.hpp"

#include <gtest/gtest.h>
#include <hepek/entity.hpp>

#include <string>

namespace hepek::recorder {
namespace {

TEST(DeviceMetadata, ReadsWhatTheSdkAnnounces) {
  const Device device{"meter",
                      "Grid meter",
                      {sensor("power_import", "W", "power", "measurement"), energy_counter("energy_import"),
                       text_sensor("tariff"), integer_command("interval_ms", 10, 1000, "ms"),
                       enum_command("mode", {"auto", "off"}), boolean_command("relay")},
                      "model"};
  const auto parsed = parse_device_metadata("meter", device.to_json().dump());
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->name, "meter");
  EXPECT_EQ(parsed->title, "Grid meter");
  ASSERT_EQ(parsed->fields.size(), 6u);
  const auto* power = parsed->find("power_import");
  ASSERT_NE(power, nullptr);
  EXPECT_TRUE(power->recorded);
  EXPECT_TRUE(power->numeric);
  EXPECT_EQ(power->unit, "W");
  EXPECT_FALSE(power->is_counter());
  EXPECT_TRUE(parsed->find("energy_import")->is_counter());
  EXPECT_FALSE(parsed->find("tariff")->recorded);
  EXPECT_TRUE(parsed->find("interval_ms")->numeric);  // by its unit and its integer command schema
  EXPECT_FALSE(parsed->find("mode")->recorded);
  EXPECT_FALSE(parsed->find("relay")->numeric);
}

TEST(DeviceMetadata, InfersNumericFromCommandSchemaAlone) {
  const auto parsed = parse_device_metadata(
      "battery",
      R"({"schema":1,"device":"battery","entities":[{"field":"setpoint","command":{"type":"number"}},
                                                              {"field":"label"}]})");
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_TRUE(parsed->find("setpoint")->numeric);
  EXPECT_FALSE(parsed->find("label")->numeric);
  EXPECT_TRUE(
      parsed->find("label")->recorded);  // recorded unless it says otherwise; only numbers will be stored
}

TEST(DeviceMetadata, TopicNameWinsOverPayloadName) {
  const auto parsed = parse_device_metadata("meter", R"({"schema":1,"device":"other","entities":[]})");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->name, "meter");
}

TEST(DeviceMetadata, RejectsBadInputNamingTheProblem) {
  struct Case {
    const char* payload;
    const char* expected;
  };
  for (const auto& [payload, expected] : std::vector<Case>{
           {"{not json", "not valid JSON"},
           {"[1,2]", "not a JSON object"},
           {R"({"entities":[]})", "no integer \"schema\""},
           {R"({"schema":3,"entities":[]})", "schema 3"},
           {R"({"schema":1})", "no \"entities\" array"},
           {R"({"schema":1,"entities":[42]})", "entities[0] is not an object"},
           {R"({"schema":1,"entities":[{"unit":"W"}]})", "entities[0] has no \"field\""},
           {R"({"schema":1,"entities":[{"field":"a"},{"field":"a"}]})", "field 'a' is declared twice"},
           {R"({"schema":1,"entities":[{"field":"a","recorded":"yes"}]})", "\"recorded\" of field 'a'"},
       }) {
    const auto parsed = parse_device_metadata("dev", payload);
    ASSERT_FALSE(parsed) << payload;
    EXPECT_NE(parsed.error().find(expected), std::string::npos) << parsed.error();
    EXPECT_NE(parsed.error().find("'dev'"), std::string::npos) << parsed.error();
  }
}

// Found by fuzz_recorder_input: an error about a field quoted the whole field name, so a device config with a
// 100 KB name gave a 100 KB log line. It quotes at most 64 bytes of it now.
TEST(DeviceMetadata, ErrorsQuoteAShortPrefixOfTheFieldName) {
  const std::string name(100000, 'f');
  for (const std::string& payload :
       {R"({"schema":1,"entities":[{"field":")" + name + R"("},{"field":")" + name + R"("}]})",
        R"({"schema":1,"entities":[{"field":")" + name + R"(","recorded":1}]})"}) {
    const auto parsed = parse_device_metadata("dev", payload);
    ASSERT_FALSE(parsed);
    EXPECT_LT(parsed.error().size(), 200u) << parsed.error();
    EXPECT_NE(parsed.error().find("(100000 bytes)"), std::string::npos) << parsed.error();
  }
}

TEST(DeviceMetadata, ReadsVersionTwoWithInterfaces) {
  const auto parsed = parse_device_metadata(
      "meter", R"({"schema":2,"device":"meter","interfaces":[{"name":"grid_meter","role":"grid"}],
                   "entities":[{"field":"energy_import","unit":"Wh","state_class":"total_increasing"}]})");
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_TRUE(parsed->find("energy_import")->numeric);
}

}  // namespace
}  // namespace hepek::recorder
