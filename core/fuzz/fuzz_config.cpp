// libFuzzer target: a config file as `hepek run` and `hepek config check` read it (core/src/config.cpp):
// parse_config() on the text, then every [[plugin]] table validated against a plugin schema with every row type
// and constraint (string, integer, float, boolean, string array, table, duration, path; allowed values, bounds,
// an exclusive minimum, only_when), as instance_manager.cpp does before it hands the settings to the plugin.
// Invariants besides ASan/UBSan: nothing throws; every error has a message and a line; a config that loads
// without errors has its core values within the documented bounds; the validated settings of a plugin can be
// dumped (the hub passes them to create() as JSON text).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "hepek/testing/fuzz_check.hpp"

namespace hc = hepek::core;

namespace {

hc::SchemaRow row(std::string key, hepek_config_type type, std::string default_literal,
                  bool required = false) {
  return hc::SchemaRow(std::move(key), type, std::move(default_literal), required, "a fuzzed key");
}

const hc::Schema& plugin_schema() {
  static const hc::Schema schema = [] {
    hc::Schema rows;
    auto role = row("role", HEPEK_CONFIG_STRING, "\"member\"");
    role.allowed = {"member", "operator"};
    rows.push_back(role);
    auto name = row("name", HEPEK_CONFIG_STRING, "\"x\"");
    name.minimum = 1;
    name.maximum = 32;
    rows.push_back(name);
    auto count = row("count", HEPEK_CONFIG_INTEGER, "3");
    count.minimum = 0;
    count.maximum = 100;
    rows.push_back(count);
    auto ratio = row("ratio", HEPEK_CONFIG_FLOAT, "0.5");
    ratio.minimum = 0;
    ratio.exclusive_minimum = true;
    rows.push_back(ratio);
    rows.push_back(row("enabled", HEPEK_CONFIG_BOOLEAN, "true"));
    auto modes = row("modes", HEPEK_CONFIG_STRING_ARRAY, "[]");
    modes.allowed = {"a", "b"};
    rows.push_back(modes);
    rows.push_back(row("extra", HEPEK_CONFIG_TABLE, ""));
    auto interval = row("interval", HEPEK_CONFIG_DURATION, "\"15m\"");
    interval.minimum = 1;
    interval.maximum = 86400;
    rows.push_back(interval);
    rows.push_back(row("file", HEPEK_CONFIG_PATH, ""));
    auto address = row("operator_address", HEPEK_CONFIG_STRING, "", true);
    address.only_when_key = "role";
    address.only_when_value = "member";
    rows.push_back(address);
    return rows;
  }();
  return schema;
}

void check_errors(const std::vector<hc::ConfigError>& errors) {
  for (const auto& error : errors) {
    HEPEK_FUZZ_CHECK(!error.message.empty(), "every config error says what is wrong");
    HEPEK_FUZZ_CHECK(error.line >= 0 && error.column >= 0, "every config error has a position");
    (void)error.to_string();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const hc::ConfigLoad load = hc::parse_config(text, "fuzz.toml", "/etc/hepek");
  check_errors(load.errors);
  if (!load.config) {
    HEPEK_FUZZ_CHECK(!load.errors.empty(), "a config that does not load says why");
    return 0;
  }
  const hc::HubConfig& config = *load.config;
  if (load.ok()) {
    HEPEK_FUZZ_CHECK(config.step_s >= 1 && config.step_s <= 86400, "step_s is within 1..86400");
    HEPEK_FUZZ_CHECK(config.port >= 1 && config.port <= 65535, "port is within 1..65535");
    HEPEK_FUZZ_CHECK(config.keepalive_s >= 1 && config.keepalive_s <= 3600, "keepalive_s is within 1..3600");
    HEPEK_FUZZ_CHECK(std::isfinite(config.latitude) && std::fabs(config.latitude) <= 90,
                     "latitude is finite");
    HEPEK_FUZZ_CHECK(std::isfinite(config.longitude) && std::fabs(config.longitude) <= 180,
                     "longitude is finite");
  }
  for (const auto& instance : config.plugins) {
    std::vector<hc::ConfigError> errors;
    const nlohmann::json settings = hc::validate_table(instance.settings, instance.positions, plugin_schema(),
                                                       "[[plugin]] " + instance.id, "fuzz.toml",
                                                       instance.line, instance.column, errors, "/etc/hepek");
    check_errors(errors);
    HEPEK_FUZZ_CHECK(hepek::testing::dumps_strictly(settings), "validated settings reach the plugin as JSON");
  }
  return 0;
}
