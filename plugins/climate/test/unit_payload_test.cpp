// Unit payloads: plain values and JSON keys, temperatures, mode names both ways, and each kind of bad input.
#include <gtest/gtest.h>

#include "unit_payload.hpp"

namespace hepek::climate {
namespace {

std::string kind(const std::string& error) {
  return error.substr(0, error.find(':'));
}

TEST(UnitPayload, PlainAndJsonValues) {
  EXPECT_EQ(*extract_value(" cool\n", ""), "cool");
  EXPECT_EQ(*extract_value("\"COOL\"", ""), "COOL");
  EXPECT_EQ(*extract_value(R"({"mode":"cool","target":22.5})", "mode"), "cool");
  EXPECT_EQ(*extract_value(R"({"mode":"cool","target":22.5})", "target"), "22.5");
  EXPECT_EQ(kind(extract_value("", "").error()), "empty payload");
  EXPECT_EQ(kind(extract_value("cool", "mode").error()), "not JSON");
  EXPECT_EQ(kind(extract_value("[1]", "mode").error()), "not a JSON object");
  EXPECT_EQ(kind(extract_value(R"({"x":1})", "mode").error()), "JSON key missing");
  EXPECT_EQ(kind(extract_value(R"({"mode":{}})", "mode").error()), "JSON value not a scalar");
  EXPECT_EQ(kind(extract_value(std::string(kMaxUnitPayload + 1, ' '), "").error()), "oversized payload");
  EXPECT_EQ(kind(extract_value(R"({"mode":1,"mode":2})", "mode").error()), "not JSON");  // a key twice
}

TEST(UnitPayload, Temperatures) {
  EXPECT_DOUBLE_EQ(*parse_temperature("21.5"), 21.5);
  EXPECT_DOUBLE_EQ(*parse_temperature("-3"), -3);
  EXPECT_EQ(kind(parse_temperature("warm").error()), "temperature not a number");
  EXPECT_EQ(kind(parse_temperature("21.5C").error()), "temperature not a number");
  EXPECT_EQ(kind(parse_temperature("nan").error()), "temperature not a number");
  EXPECT_EQ(kind(parse_temperature("150").error()), "temperature out of range");
  EXPECT_EQ(kind(parse_power("-1").error()), "power out of range");
  EXPECT_EQ(format_temperature(22), "22");
  EXPECT_EQ(format_temperature(22.46), "22.5");
  EXPECT_EQ(format_temperature(-0.5), "-0.5");
}

TEST(UnitPayload, ModesMapBothWaysCaseInsensitively) {
  const PayloadMap modes("mode", {{"off", "OFF"}, {"cool", "COOL"}, {"heat", "heat"}, {"auto", "HEAT_COOL"}});
  EXPECT_EQ(modes.payload_for("cool"), "COOL");
  EXPECT_EQ(modes.payload_for("auto"), "HEAT_COOL");
  EXPECT_EQ(*modes.name_of("cool"), "cool");
  EXPECT_EQ(*modes.name_of("Heat_Cool"), "auto");
  EXPECT_EQ(*modes.name_of("auto"), "auto");  // HEPEK's own name is understood too
  EXPECT_EQ(modes.name_of("dry").error(), "unknown mode: dry");
}

}  // namespace
}  // namespace hepek::climate
