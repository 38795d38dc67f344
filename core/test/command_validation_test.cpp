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

TEST(CommandValidation, NulBytesDuplicateKeysAndDeepCommandsAreMalformed) {
  // nlohmann alone would read the first as {"setpoint_w":100} and the second as {"setpoint_w":-5000}.
  const std::string nul = std::string(R"({"setpoint_w":100})") + '\0' + R"({"setpoint_w":9999})";
  EXPECT_NE(hepek::validate_command(battery(), nul).find("malformed JSON: NUL byte at offset 18"),
            std::string::npos);
  EXPECT_NE(hepek::validate_command(battery(), R"({"setpoint_w":100,"setpoint_w":-5000})")
                .find("malformed JSON: key \"setpoint_w\" given twice"),
            std::string::npos);
  EXPECT_NE(hepek::validate_command(battery(), std::string(100000, '[') + std::string(100000, ']'))
                .find("nesting deeper than 64 levels"),
            std::string::npos);
  EXPECT_NE(hepek::validate_command(battery(), R"({"setpoint_w":1e400})").find("malformed JSON"),
            std::string::npos);
}

TEST(CommandValidation, QuotesAtMostAShortPrefixOfAHugeKeyOrValue) {
  const std::string huge(100000, 'x');
  const std::string value_error = hepek::validate_command(battery(), R"({"setpoint_w": ")" + huge + R"("})");
  EXPECT_LT(value_error.size(), 400u);
  EXPECT_NE(value_error.find("must be a number, got \"xxx"), std::string::npos) << value_error;
  EXPECT_NE(value_error.find("(100002 bytes)"), std::string::npos) << value_error;
  const std::string key_error = hepek::validate_command(battery(), R"({")" + huge + R"(": 1})");
  EXPECT_LT(key_error.size(), 400u);
  EXPECT_NE(key_error.find("(100000 bytes)\" is not a writable field"), std::string::npos) << key_error;
  // A cut never splits a UTF-8 character; short text is quoted whole.
  EXPECT_EQ(hepek::quote_prefix("ab\xC3\xA9"
                                "cd",
                                3),
            "ab\xE2\x80\xA6 (6 bytes)");
  EXPECT_EQ(hepek::quote_prefix("short"), "short");
}

// Found by fuzz_sdk_command: a plugin announces any JSON object as metadata; an enum schema without "values" made
// validate_command() index a missing key (an assertion, undefined behaviour in a release build), and a bound or
// a "field" of the wrong type threw out of the hub's event loop. Each is now an error reply.
TEST(CommandValidation, MalformedMetadataRejectsTheCommandWithoutThrowing) {
  auto device = [](const char* entities) {
    return nlohmann::json::parse(std::string(R"({"entities":)") + entities + "}");
  };
  EXPECT_NE(
      hepek::validate_command(device(R"([{"field":"state","command":{"type":"enum","vlaues":["on"]}}])"),
                              R"({"state":"on"})")
          .find("\"state\" has a malformed command schema in the device metadata: an enum without a "
                "\"values\" array"),
      std::string::npos);
  EXPECT_NE(hepek::validate_command(device(R"([{"field":"w","command":{"type":"number","min":"0"}}])"),
                                    R"({"w":1})")
                .find("\"min\" is not a number"),
            std::string::npos);
  EXPECT_NE(hepek::validate_command(device(R"([{"field":"w","command":{"type":7}}])"), R"({"w":1})")
                .find("no string \"type\""),
            std::string::npos);
  EXPECT_NE(
      hepek::validate_command(device(R"([{"field":"w","command":[]}])"), R"({"w":1})").find("not an object"),
      std::string::npos);
  EXPECT_NE(hepek::validate_command(device(R"([{"field":"s","command":{"type":"string","max_length":-1}}])"),
                                    R"({"s":"x"})")
                .find("\"max_length\" is not a non-negative integer"),
            std::string::npos);
  // An entity that is not an object, or whose field is not a string, is not writable.
  EXPECT_NE(
      hepek::validate_command(device(R"([7, {"field":5,"command":{"type":"boolean"}}])"), R"({"5":true})")
          .find("\"5\" is not a writable field of this device; writable fields: (none)"),
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
