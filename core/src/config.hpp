// Hub configuration: one TOML file (toml++), the core's own tables and one [[plugin]] table per plugin
// instance.
//
// Contract: parse_config() validates the core tables ([hub], [bus], [chain]) and the shape of [[plugin]]
// tables (id, type, enabled, grants); validate_table() checks any table against a schema (the core's or a
// plugin's): types, durations, allowed values, bounds, role scoping (only_when) and path resolution. Every
// error names file:line:column, the key, the value and what is allowed; validation never stops at the first
// error, so one run reports them all. Pure functions, thread-safe; no I/O except load_config().
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker_address.hpp"
#include "hepek/abi.h"

namespace hepek::core {

struct SchemaRow {
  SchemaRow() = default;
  SchemaRow(std::string key_, hepek_config_type type_, std::string default_literal_, bool required_,
            std::string description_)
      : key(std::move(key_)),
        type(type_),
        default_literal(std::move(default_literal_)),
        required(required_),
        description(std::move(description_)) {}

  std::string key;
  hepek_config_type type = HEPEK_CONFIG_STRING;
  std::string default_literal;  // TOML literal, empty = none
  bool required = false;
  std::string description;
  // ABI 1.1 constraints (hepek_config_constraint), empty/unset when the row has none.
  std::vector<std::string> allowed;  // enum: the only values accepted
  std::optional<double> minimum;     // inclusive unless exclusive_minimum
  std::optional<double> maximum;     // inclusive
  bool exclusive_minimum = false;
  std::string only_when_key;  // with only_when_value: the key belongs only to instances where key = value
  std::string only_when_value;
  // Core tables only: a further check of a well-typed value; returns "" or what is wrong with it.
  std::function<std::string(const nlohmann::json&)> check;
};
using Schema = std::vector<SchemaRow>;

struct ConfigError {
  std::string file;
  int64_t line = 0;
  int64_t column = 0;
  std::string message;
  std::string to_string() const;
};

struct PluginInstanceConfig {
  std::string id;
  std::string type;
  bool enabled = true;
  std::vector<std::string> grants;  // key-store purposes this instance may sign for
  nlohmann::json settings;          // the plugin's own keys, as written (validated later against its schema)
  nlohmann::json positions;         // key -> [line, column], for error messages
  int64_t line = 0;
  int64_t column = 0;
  std::optional<ConfigError>
      refusal;  // set: this instance cannot run (e.g. a duplicate id); the others still can
};

struct HubConfig {
  std::string file;  // where it came from ("<embedded>" for the built-in default)
  // [hub]
  std::string name;
  std::string data_dir;
  std::string timezone;
  std::string log_level;
  std::vector<std::string> plugin_dirs;
  int64_t step_s = 900;
  double latitude = 0;
  double longitude = 0;
  std::string location = "config";  // "config" or "gps" (sdk/include/hepek/location.hpp follows the device)
  std::string directory;  // absolute directory of `file` (the working directory for the embedded config)
  // [bus]
  std::string broker;            // as written: "embedded", or mqtt://host:port / mqtts://host:port
  BrokerAddress broker_address;  // `broker`, parsed
  std::string bind_address;      // embedded broker listener address
  int64_t port = 1883;
  std::string username;  // external broker
  std::string password;
  std::string client;  // "mosquitto" (libmosquitto) or "paho"
  int64_t keepalive_s = 30;
  // [chain]
  std::string chain_endpoint;  // "", "embedded", or a JSON-RPC URL
  nlohmann::json chain;        // the whole [chain] table, for plugins that need contract addresses

  std::vector<PluginInstanceConfig> plugins;
};

// `config` is set whenever the TOML parsed, even with errors (invalid values replaced by defaults), so
// `config check` can go on to check the plugin tables and report every error of the file at once.
struct ConfigLoad {
  std::optional<HubConfig> config;
  std::vector<ConfigError> errors;
  bool ok() const { return config.has_value() && errors.empty(); }
};

const Schema& hub_schema();
const Schema& bus_schema();
const Schema& chain_schema();

// `base_directory`: where relative PATH values resolve (load_config: the file's directory); "" = the working
// directory.
ConfigLoad parse_config(const std::string& text, const std::string& source_name,
                        const std::string& base_directory = "");
ConfigLoad load_config(const std::string& path);

// Checks `values` (key -> JSON value) against `schema`; returns the values with defaults filled in (a
// duration as integer seconds, a PATH written relative resolved against `base_directory` when that is not
// empty), and appends errors. `positions` maps key -> [line, column]; `table_line/column` locate the table
// for missing keys.
nlohmann::json validate_table(const nlohmann::json& values, const nlohmann::json& positions,
                              const Schema& schema, const std::string& table_name, const std::string& file,
                              int64_t table_line, int64_t table_column, std::vector<ConfigError>& errors,
                              const std::string& base_directory = "");

// Seconds of a duration as a config file writes it: integer seconds, or "90s", "15m", "1h30m", "250ms"
// (parts <integer><unit>, unit ms s m h d; rounded down to whole seconds). The reason on error.
std::variant<int64_t, std::string> parse_config_duration(const nlohmann::json& value);

// The demo default (config/hepek.toml is embedded at build time).
const std::string& embedded_default_config();

}  // namespace hepek::core
