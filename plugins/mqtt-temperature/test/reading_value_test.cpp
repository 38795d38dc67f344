// Where the temperature is in a device's payload: key paths, the value_template forms devices announce, units,
// and what is refused (with the reason in the error).
#include <gtest/gtest.h>

#include "reading_value.hpp"

namespace hepek::mqtt_temperature {
namespace {

ValuePath from_template(const char* text) {
  auto path = ValuePath::from_template(text);
  EXPECT_TRUE(path.ok()) << text << ": " << path.error();
  return path.ok() ? *path : ValuePath{};
}

TEST(ValuePath, ReadsTheTemplateFormsDevicesAnnounce) {
  EXPECT_TRUE(from_template("{{ value }}").keys.empty());
  EXPECT_EQ(from_template("{{ value_json.temperature }}").keys, std::vector<std::string>{"temperature"});
  EXPECT_EQ(from_template("{{value_json['DS18B20'].Temperature}}").keys,
            (std::vector<std::string>{"DS18B20", "Temperature"}));
  EXPECT_EQ(from_template(R"({{ value_json["tC"] | float }})").keys, std::vector<std::string>{"tC"});
  EXPECT_EQ(from_template("{{ value_json.a.b | float(0) | round(1) }}").keys,
            (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(from_template("{{ value | int }}").keys.empty());
}

TEST(ValuePath, RefusesWhatNeedsATemplateEngineNamingIt) {
  for (const char* text :
       {"value_json.temperature", "{{ value_json.t * 10 }}", "{{ value_json }}", "{% if value %}1{% endif %}",
        "{{ value_json.t | replace('a','b') }}", "{{ value_json['t }}", "{{ states('sensor.x') }}"}) {
    const auto path = ValuePath::from_template(text);
    ASSERT_FALSE(path.ok()) << text;
    EXPECT_NE(path.error().find("value_template"), std::string::npos) << path.error();
  }
  EXPECT_FALSE(ValuePath::from_keys("a..b").ok());
  EXPECT_EQ(ValuePath::from_keys("DS18B20.Temperature")->describe(), "value_json.DS18B20.Temperature");
}

TEST(ReadCelsius, PlainAndJsonPayloadsInEveryUnit) {
  const ValuePath plain;
  const ValuePath z2m = *ValuePath::from_keys("temperature");
  EXPECT_DOUBLE_EQ(*read_celsius(" 21.5\n", plain, TemperatureUnit::celsius), 21.5);
  EXPECT_DOUBLE_EQ(*read_celsius(R"({"temperature":19.25,"humidity":40})", z2m, TemperatureUnit::celsius),
                   19.25);
  EXPECT_DOUBLE_EQ(*read_celsius(R"({"temperature":"19.5"})", z2m, TemperatureUnit::celsius), 19.5);
  EXPECT_NEAR(*read_celsius("70.7", plain, TemperatureUnit::fahrenheit), 21.5, 1e-9);
  EXPECT_NEAR(*read_celsius("294.65", plain, TemperatureUnit::kelvin), 21.5, 1e-9);
  EXPECT_EQ(*parse_unit("°F"), TemperatureUnit::fahrenheit);
  EXPECT_EQ(*parse_unit("C"), TemperatureUnit::celsius);
  EXPECT_FALSE(parse_unit("%").ok());
}

TEST(ReadCelsius, RefusesUnusableReadingsSayingWhy) {
  const ValuePath z2m = *ValuePath::from_keys("temperature");
  const auto error = [&](const char* payload, const ValuePath& path) {
    const auto value = read_celsius(payload, path, TemperatureUnit::celsius);
    EXPECT_FALSE(value.ok()) << payload;
    return value.ok() ? std::string() : value.error();
  };
  EXPECT_NE(error("warm", ValuePath{}).find("is not a number"), std::string::npos);
  EXPECT_NE(error("nan", ValuePath{}).find("is not a number"), std::string::npos);
  EXPECT_NE(error("{\"temperature\":", z2m).find("not valid JSON"), std::string::npos);
  EXPECT_NE(error(R"({"humidity":40})", z2m).find("has no value_json.temperature"), std::string::npos);
  EXPECT_NE(error(R"({"temperature":null})", z2m).find("is not a number"), std::string::npos);
  EXPECT_NE(error(R"({"temperature":[1]})", z2m).find("is not a number"), std::string::npos);
  EXPECT_NE(error(R"({"temperature":1,"temperature":2})", z2m).find("given twice"), std::string::npos);
  EXPECT_NE(error("850", ValuePath{}).find("outside"), std::string::npos);
  EXPECT_NE(error("-273.15", ValuePath{}).find("outside"), std::string::npos);
  EXPECT_LE(error(std::string(100000, '9').c_str(), ValuePath{}).size(), 300u);  // a short quote
}

TEST(ReadText, AvailabilityPayloads) {
  EXPECT_EQ(read_text("Online", ValuePath{}), "Online");
  EXPECT_EQ(read_text(R"({"state":"offline"})", *ValuePath::from_keys("state")), "offline");
  EXPECT_EQ(read_text("offline", *ValuePath::from_keys("state")), std::nullopt);
}

}  // namespace
}  // namespace hepek::mqtt_temperature
