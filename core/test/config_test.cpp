#include <gtest/gtest.h>

#include "config.hpp"

using namespace hepek::core;

namespace {
std::string all_errors(const ConfigLoad& load) {
  std::string text;
  for (const auto& error : load.errors) text += error.to_string() + "\n";
  return text;
}
}  // namespace

TEST(Config, EmbeddedDefaultIsValid) {
  const auto load = parse_config(embedded_default_config(), "hepek.toml");
  ASSERT_TRUE(load.ok()) << all_errors(load);
  EXPECT_EQ(load.config->broker, "embedded");
  EXPECT_EQ(load.config->port, 1883);
  EXPECT_EQ(load.config->timezone, "Europe/Amsterdam");
}

TEST(Config, DefaultsFillMissingKeys) {
  const auto load = parse_config("", "empty.toml");
  ASSERT_TRUE(load.ok()) << all_errors(load);
  EXPECT_EQ(load.config->data_dir, "./data");
  EXPECT_EQ(load.config->client, "mosquitto");
  EXPECT_EQ(load.config->step_s, 900);
}

TEST(Config, UnknownKeyNamesFileLineColumnAndAllowedKeys) {
  const auto load = parse_config("[bus]\nport = 1884\nprot = 1\n", "my.toml");
  ASSERT_EQ(load.errors.size(), 1u);
  const std::string text = load.errors[0].to_string();
  EXPECT_EQ(text.rfind("my.toml:3:1: unknown key \"prot\" in [bus]; allowed keys: broker", 0), 0u) << text;
  EXPECT_NE(text.find("port"), std::string::npos);
}

TEST(Config, WrongTypeIsNamed) {
  const auto load = parse_config("[bus]\nport = \"1883\"\n", "my.toml");
  ASSERT_EQ(load.errors.size(), 1u);
  EXPECT_NE(
      load.errors[0].to_string().find("my.toml:2:1: \"port\" in [bus] must be an integer, got \"1883\""),
      std::string::npos)
      << load.errors[0].to_string();
}

TEST(Config, SyntaxErrorHasPosition) {
  const auto load = parse_config("[hub\nname = 1\n", "bad.toml");
  ASSERT_EQ(load.errors.size(), 1u);
  EXPECT_EQ(load.errors[0].line, 1);
  EXPECT_NE(load.errors[0].message.find("TOML syntax error"), std::string::npos);
}

TEST(Config, SemanticChecks) {
  EXPECT_FALSE(parse_config("[bus]\nport = 70000\n", "x").ok());
  EXPECT_FALSE(parse_config("[bus]\nbroker = \"tcp://x\"\n", "x").ok());
  EXPECT_FALSE(parse_config("[bus]\nclient = \"other\"\n", "x").ok());
  EXPECT_FALSE(parse_config("[hub]\nstep_s = 0\n", "x").ok());
  EXPECT_FALSE(parse_config("[weird]\n", "x").ok());
  EXPECT_FALSE(parse_config("[hub]\ntimezone = \"Mars/Olympus\"\n", "x").ok());
  EXPECT_TRUE(parse_config("[hub]\ntimezone = \"Australia/Sydney\"\n", "x").ok());
  EXPECT_TRUE(parse_config("[bus]\nbroker = \"mqtt://localhost:1883\"\n", "x").ok());
}

// [hub] location: "config" (the default) or "gps"; the hub hands it to plugins in hub_settings_json.
TEST(Config, HubLocationIsConfigOrGps) {
  EXPECT_EQ(parse_config("", "x").config->location, "config");
  const auto gps = parse_config("[hub]\nlocation = \"gps\"\nlatitude = 1.5\n", "x");
  ASSERT_TRUE(gps.ok()) << all_errors(gps);
  EXPECT_EQ(gps.config->location, "gps");
  EXPECT_EQ(gps.config->latitude, 1.5);
  const auto bad = parse_config("[hub]\nlocation = \"glonass\"\n", "my.toml");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_NE(bad.errors[0].to_string().find("my.toml:2:1: \"location\" in [hub]"), std::string::npos)
      << bad.errors[0].to_string();
  EXPECT_NE(bad.errors[0].to_string().find("gps"), std::string::npos) << bad.errors[0].to_string();
}

TEST(Config, PluginTablesNeedIdAndTypeAndUniqueIds) {
  auto load = parse_config("[[plugin]]\ntype = \"x\"\n", "p.toml");
  ASSERT_FALSE(load.ok());
  EXPECT_NE(all_errors(load).find("missing required key \"id\""), std::string::npos);
  // A duplicate id refuses that instance only; the config as a whole stays usable.
  load =
      parse_config("[[plugin]]\nid = \"a\"\ntype = \"x\"\n[[plugin]]\nid = \"a\"\ntype = \"y\"\n", "p.toml");
  ASSERT_TRUE(load.ok()) << all_errors(load);
  ASSERT_EQ(load.config->plugins.size(), 2u);
  EXPECT_FALSE(load.config->plugins[0].refusal);
  ASSERT_TRUE(load.config->plugins[1].refusal);
  EXPECT_NE(
      load.config->plugins[1].refusal->to_string().find("p.toml:5:1: duplicate plugin instance id \"a\""),
      std::string::npos);
  load = parse_config("[[plugin]]\nid = \"a/b\"\ntype = \"x\"\n", "p.toml");
  EXPECT_FALSE(load.ok());
  load =
      parse_config("[[plugin]]\nid = \"a\"\ntype = \"x\"\ngrants = [\"balance-proof\"]\nfoo = 3\n", "p.toml");
  ASSERT_TRUE(load.ok()) << all_errors(load);
  EXPECT_EQ(load.config->plugins[0].grants, std::vector<std::string>{"balance-proof"});
  EXPECT_EQ(load.config->plugins[0].settings["foo"], 3);
  EXPECT_FALSE(load.config->plugins[0].settings.contains("id"));
}

TEST(Config, PluginSchemaValidation) {
  const Schema schema{{"port", HEPEK_CONFIG_STRING, "", true, "serial port"},
                      {"baud", HEPEK_CONFIG_INTEGER, "115200", false, "baud rate"},
                      {"scale", HEPEK_CONFIG_FLOAT, "1.0", false, "scale"},
                      {"tags", HEPEK_CONFIG_STRING_ARRAY, "[]", false, "tags"}};
  std::vector<ConfigError> errors;
  auto values =
      validate_table({{"port", "/dev/ttyUSB0"}, {"scale", 2}}, {}, schema, "[[plugin]] m", "f", 4, 1, errors);
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(values["baud"], 115200);
  EXPECT_EQ(values["scale"], 2);
  EXPECT_TRUE(values["tags"].is_array());

  errors.clear();
  validate_table({{"baud", "fast"}, {"colour", 1}}, {{"baud", {6, 1}}, {"colour", {7, 1}}}, schema,
                 "[[plugin]] m", "f", 4, 1, errors);
  ASSERT_EQ(errors.size(), 3u);
  std::string text;
  for (const auto& error : errors) text += error.to_string() + "\n";
  EXPECT_NE(text.find("f:6:1: \"baud\" in [[plugin]] m must be an integer"), std::string::npos) << text;
  EXPECT_NE(text.find("f:7:1: unknown key \"colour\""), std::string::npos) << text;
  EXPECT_NE(text.find("f:4:1: missing required key \"port\""), std::string::npos) << text;
}
