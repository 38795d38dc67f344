#include <gtest/gtest.h>

#include "hepek/command_validation.hpp"
#include "hepek/entity.hpp"

namespace {
nlohmann::json battery() {
  return hepek::Device{"battery",
                       "Battery",
                       {hepek::sensor("soc", "%", "battery", "measurement"),
                        hepek::number_command("setpoint_w", -5000, 5000, "W", "power"),
                        hepek::enum_command("mode", {"auto", "manual"}), hepek::boolean_command("enabled")}}
      .to_json();
}
}  // namespace

TEST(CommandValidation, AcceptsCommandsThatFitTheSchema) {
  EXPECT_EQ(hepek::validate_command(battery(), R"({"setpoint_w": -2500.5})"), "");
  EXPECT_EQ(hepek::validate_command(battery(), R"({"mode": "manual", "enabled": false})"), "");
}

TEST(CommandValidation, NamesTheProblem) {
  EXPECT_NE(hepek::validate_command(battery(), "{oops").find("malformed JSON"), std::string::npos);
  EXPECT_NE(hepek::validate_command(battery(), R"("on")").find("must be a JSON object"), std::string::npos);
  EXPECT_NE(hepek::validate_command(battery(), R"({"soc": 50})").find("\"soc\" is not a writable field"),
            std::string::npos);
  EXPECT_NE(hepek::validate_command(battery(), R"({"setpoint_w": 9000})").find("above the maximum 5000"),
            std::string::npos);
  EXPECT_NE(hepek::validate_command(battery(), R"({"setpoint_w": "9"})").find("must be a number"),
            std::string::npos);
  EXPECT_NE(
      hepek::validate_command(battery(), R"({"mode": "eco"})").find("must be one of [\"auto\",\"manual\"]"),
      std::string::npos);
  EXPECT_NE(hepek::validate_command(battery(), R"({"enabled": 1})").find("true or false"), std::string::npos);
  EXPECT_NE(hepek::validate_command(battery(), "{}").find("writable fields: enabled, mode, setpoint_w"),
            std::string::npos);
}

TEST(EntityMetadata, CarriesHomeAssistantVocabulary) {
  const auto json = battery();
  EXPECT_EQ(json["device"], "battery");
  EXPECT_EQ(json["entities"][0]["device_class"], "battery");
  EXPECT_EQ(json["entities"][0]["state_class"], "measurement");
  EXPECT_EQ(json["entities"][0]["unit"], "%");
  EXPECT_EQ(json["entities"][1]["command"]["min"], -5000);
}
