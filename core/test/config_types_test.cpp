// Typed config (ABI 1.1): durations, enums, bounds, role scoping (only_when), paths, and the core's own
// tables checked with the same machinery; the [bus] broker parsed once into a typed address.
#include <gtest/gtest.h>

#include <cmath>

#include "broker_address.hpp"
#include "config.hpp"

using namespace hepek::core;

namespace {

std::string joined(const std::vector<ConfigError>& errors) {
  std::string text;
  for (const auto& error : errors) text += error.to_string() + "\n";
  return text;
}

SchemaRow row(std::string key, hepek_config_type type, std::string default_literal = "",
              bool required = false) {
  return SchemaRow(std::move(key), type, std::move(default_literal), required, "test row");
}

}  // namespace

TEST(ConfigTypes, DurationsBecomeIntegerSeconds) {
  const Schema schema{row("period", HEPEK_CONFIG_DURATION, "\"15m\"")};
  std::vector<ConfigError> errors;
  EXPECT_EQ(validate_table({}, {}, schema, "[t]", "f", 1, 1, errors)["period"], 900);
  for (const auto& [written, seconds] : std::vector<std::pair<nlohmann::json, int64_t>>{
           {90, 90}, {"90s", 90}, {"15m", 900}, {"1h30m", 5400}, {"1d", 86400}, {"1500ms", 1}, {0, 0}}) {
    errors.clear();
    const auto values = validate_table({{"period", written}}, {}, schema, "[t]", "f", 1, 1, errors);
    ASSERT_TRUE(errors.empty()) << written.dump() << ": " << joined(errors);
    EXPECT_EQ(values["period"], seconds) << written.dump();
  }
  for (const nlohmann::json& bad : {nlohmann::json("fortnight"), nlohmann::json("15"), nlohmann::json(-5),
                                    nlohmann::json("500ms"), nlohmann::json(1.5), nlohmann::json("1h30")}) {
    errors.clear();
    validate_table({{"period", bad}}, {{"period", {3, 1}}}, schema, "[t]", "f", 1, 1, errors);
    ASSERT_EQ(errors.size(), 1u) << bad.dump();
    EXPECT_NE(errors[0].to_string().find("f:3:1: \"period\" in [t] must be a duration"), std::string::npos)
        << errors[0].to_string();
    EXPECT_NE(errors[0].to_string().find("got " + bad.dump()), std::string::npos) << errors[0].to_string();
  }
}

TEST(ConfigTypes, EnumNamesTheValueAndWhatIsAllowed) {
  SchemaRow backend = row("backend", HEPEK_CONFIG_STRING, "\"sim\"");
  backend.allowed = {"gpio", "mqtt", "sim"};
  SchemaRow tags = row("tags", HEPEK_CONFIG_STRING_ARRAY, "[]");
  tags.allowed = {"a", "b"};
  const Schema schema{backend, tags};
  std::vector<ConfigError> errors;
  auto values =
      validate_table({{"backend", "mqtt"}, {"tags", {"a", "b"}}}, {}, schema, "[t]", "f", 1, 1, errors);
  EXPECT_TRUE(errors.empty()) << joined(errors);
  EXPECT_EQ(values["backend"], "mqtt");
  validate_table({{"backend", "zigbee"}, {"tags", {"a", "c"}}}, {{"backend", {5, 1}}, {"tags", {6, 1}}},
                 schema, "[t]", "f", 1, 1, errors);
  ASSERT_EQ(errors.size(), 2u) << joined(errors);
  EXPECT_EQ(errors[0].to_string(),
            "f:5:1: \"backend\" in [t] must be one of \"gpio\", \"mqtt\", \"sim\", got \"zigbee\"");
  EXPECT_EQ(errors[1].to_string(), "f:6:1: \"tags\" in [t] must be one of \"a\", \"b\", got [\"a\",\"c\"]");
}

TEST(ConfigTypes, BoundsOnNumbersDurationsAndStringLengths) {
  SchemaRow capacity = row("capacity_wh", HEPEK_CONFIG_FLOAT, "10000.0");
  capacity.minimum = 0;
  capacity.exclusive_minimum = true;
  SchemaRow percent = row("percent", HEPEK_CONFIG_INTEGER, "50");
  percent.minimum = 0;
  percent.maximum = 100;
  SchemaRow period = row("period", HEPEK_CONFIG_DURATION, "60");
  period.maximum = 3600;
  SchemaRow name = row("name", HEPEK_CONFIG_STRING, "\"x\"");
  name.maximum = 3;
  const Schema schema{capacity, percent, period, name};
  std::vector<ConfigError> errors;
  validate_table({{"capacity_wh", 0.5}, {"percent", 100}, {"period", "1h"}, {"name", "abc"}}, {}, schema,
                 "[t]", "f", 1, 1, errors);
  EXPECT_TRUE(errors.empty()) << joined(errors);
  validate_table({{"capacity_wh", -5}, {"percent", 101}, {"period", "2h"}, {"name", "abcd"}}, {}, schema,
                 "[t]", "f", 1, 1, errors);
  const std::string text = joined(errors);
  ASSERT_EQ(errors.size(), 4u) << text;
  EXPECT_NE(text.find("\"capacity_wh\" in [t] must be greater than 0, got -5"), std::string::npos) << text;
  EXPECT_NE(text.find("\"percent\" in [t] must be within 0..100, got 101"), std::string::npos) << text;
  EXPECT_NE(text.find("\"period\" in [t] must be at most 3600 s, got \"2h\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"name\" in [t] must be at most 3 bytes long, got \"abcd\""), std::string::npos)
      << text;
  errors.clear();
  validate_table({{"capacity_wh", std::nan("")}}, {}, schema, "[t]", "f", 1, 1, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("must be a finite number"), std::string::npos) << errors[0].message;
}

TEST(ConfigTypes, OnlyWhenKeepsRolesApart) {
  SchemaRow role = row("role", HEPEK_CONFIG_STRING, "\"member\"");
  role.allowed = {"member", "operator"};
  SchemaRow meter = row("meter", HEPEK_CONFIG_STRING, "", true);
  meter.only_when_key = "role";
  meter.only_when_value = "member";
  SchemaRow fleet = row("fleet_size", HEPEK_CONFIG_INTEGER, "10");
  fleet.only_when_key = "role";
  fleet.only_when_value = "operator";
  const Schema schema{role, meter, fleet};
  std::vector<ConfigError> errors;
  validate_table({{"meter", "grid"}}, {}, schema, "[[plugin]] m", "f", 2, 1, errors);
  EXPECT_TRUE(errors.empty()) << joined(errors);  // role defaults to member
  validate_table({{"role", "operator"}}, {}, schema, "[[plugin]] o", "f", 2, 1, errors);
  EXPECT_TRUE(errors.empty()) << joined(errors);  // meter is required of members only
  validate_table({{"meter", "grid"}, {"fleet_size", 3}}, {{"fleet_size", {4, 1}}}, schema, "[[plugin]] m",
                 "f", 2, 1, errors);
  ASSERT_EQ(errors.size(), 1u) << joined(errors);
  EXPECT_EQ(errors[0].to_string(),
            "f:4:1: \"fleet_size\" in [[plugin]] m applies only when role = \"operator\", but here role = "
            "\"member\"");
  errors.clear();
  validate_table({}, {}, schema, "[[plugin]] m", "f", 2, 1, errors);
  ASSERT_EQ(errors.size(), 1u) << joined(errors);
  EXPECT_NE(errors[0].to_string().find("f:2:1: missing required key \"meter\" in [[plugin]] m when role = "
                                       "\"member\""),
            std::string::npos)
      << errors[0].to_string();
}

TEST(ConfigTypes, RelativePathsResolveAgainstTheConfigDirectory) {
  const Schema schema{row("csv", HEPEK_CONFIG_PATH, "\"\""), row("label", HEPEK_CONFIG_STRING, "\"\"")};
  std::vector<ConfigError> errors;
  auto values = validate_table({{"csv", "../../testdata/x.csv"}, {"label", "../y"}}, {}, schema, "[t]", "f",
                               1, 1, errors, "/etc/hepek/examples");
  ASSERT_TRUE(errors.empty()) << joined(errors);
  EXPECT_EQ(values["csv"], "/etc/testdata/x.csv");
  EXPECT_EQ(values["label"], "../y");  // only PATH rows are paths
  values = validate_table({{"csv", "/data/a.csv"}}, {}, schema, "[t]", "f", 1, 1, errors, "/etc/hepek");
  EXPECT_EQ(values["csv"], "/data/a.csv");
  values = validate_table({}, {}, schema, "[t]", "f", 1, 1, errors, "/etc/hepek");
  EXPECT_EQ(values["csv"], "");  // empty means "none", not the config directory
  const auto load = load_config("/nonexistent-dir/x.toml");
  EXPECT_FALSE(load.ok());
  const auto parsed = parse_config("[hub]\ndata_dir = \"./data\"\n", "x.toml", "/srv/home");
  ASSERT_TRUE(parsed.ok()) << joined(parsed.errors);
  EXPECT_EQ(parsed.config->directory, "/srv/home");
  EXPECT_EQ(parsed.config->data_dir, "./data");  // the data directory stays relative to the working directory
}

TEST(ConfigTypes, CoreTablesReportEveryErrorWithPositions) {
  const auto load = parse_config(R"([hub]
timezone = "Mars/Olympus"
log_level = "verbose"
latitude = nan
step_s = 0

[bus]
colour = "red"
client = "zeromq"
keepalive_s = -1
port = 0
broker = "mqtt://broker.local:99999"
)",
                                 "five.toml");
  ASSERT_TRUE(load.config) << "the config is kept so the plugin tables can be checked too";
  const std::string text = joined(load.errors);
  EXPECT_EQ(load.errors.size(), 9u) << text;
  EXPECT_NE(text.find("five.toml:2:1: \"timezone\" in [hub] is not an IANA time zone name such as "
                      "\"Europe/Amsterdam\", got \"Mars/Olympus\""),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("five.toml:3:1: \"log_level\" in [hub] must be one of \"debug\", \"info\", \"warning\", "
                "\"error\", got \"verbose\""),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("five.toml:4:1: \"latitude\" in [hub] must be a finite number"), std::string::npos)
      << text;
  EXPECT_NE(text.find("five.toml:5:1: \"step_s\" in [hub] must be within 1..86400, got 0"), std::string::npos)
      << text;
  EXPECT_NE(text.find("five.toml:8:1: unknown key \"colour\" in [bus]"), std::string::npos) << text;
  EXPECT_NE(
      text.find("five.toml:9:1: \"client\" in [bus] must be one of \"mosquitto\", \"paho\", got \"zeromq\""),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("five.toml:10:1: \"keepalive_s\" in [bus] must be within 1..3600, got -1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("five.toml:11:1: \"port\" in [bus] must be within 1..65535, got 0"), std::string::npos)
      << text;
  EXPECT_NE(
      text.find("five.toml:12:1: \"broker\" in [bus] is not a broker address: at character 21: the port "
                "must be a number 1..65535"),
      std::string::npos)
      << text;
  // Invalid values fall back to defaults in the kept config, never to garbage.
  EXPECT_EQ(load.config->log_level, "info");
  EXPECT_EQ(load.config->keepalive_s, 30);
  EXPECT_TRUE(std::isfinite(load.config->latitude));
}

TEST(BrokerAddress, ParsedOnceIntoATypedAddress) {
  auto parsed = parse_broker_address("embedded");
  ASSERT_TRUE(std::holds_alternative<BrokerAddress>(parsed));
  EXPECT_TRUE(std::get<BrokerAddress>(parsed).embedded());
  parsed = parse_broker_address("mqtt://broker.local");
  ASSERT_TRUE(std::holds_alternative<BrokerAddress>(parsed));
  EXPECT_EQ(std::get<BrokerAddress>(parsed).host, "broker.local");
  EXPECT_EQ(std::get<BrokerAddress>(parsed).port, 1883);
  EXPECT_FALSE(std::get<BrokerAddress>(parsed).tls());
  parsed = parse_broker_address("mqtts://10.0.0.2:8884");
  ASSERT_TRUE(std::holds_alternative<BrokerAddress>(parsed));
  EXPECT_EQ(std::get<BrokerAddress>(parsed).port, 8884);
  EXPECT_TRUE(std::get<BrokerAddress>(parsed).tls());
  parsed = parse_broker_address("mqtts://[::1]");
  ASSERT_TRUE(std::holds_alternative<BrokerAddress>(parsed));
  EXPECT_EQ(std::get<BrokerAddress>(parsed).host, "::1");
  EXPECT_EQ(std::get<BrokerAddress>(parsed).port, 8883);
  for (const auto& [text, error] : std::vector<std::pair<std::string, std::string>>{
           {"tcp://x", "expected \"embedded\""},
           {"mqtt://", "at character 8: the host name is missing"},
           {"mqtt://host:", "at character 13: the port must be"},
           {"mqtt://host:12ab", "at character 13: the port must be"},
           {"mqtt://host:0", "at character 13: the port must be"},
           {"mqtt://host/path", "at character 12: expected ':'"},
           {"mqtt://[::1", "at character 8: an IPv6 host"}}) {
    parsed = parse_broker_address(text);
    ASSERT_TRUE(std::holds_alternative<std::string>(parsed)) << text;
    EXPECT_NE(std::get<std::string>(parsed).find(error), std::string::npos)
        << text << ": " << std::get<std::string>(parsed);
  }
}
