// Hub configuration: one TOML file (toml++), the core's own tables and one [[plugin]] table per plugin
// instance.
//
// Contract: parse_config() validates the core tables ([hub], [bus], [chain]) and the shape of [[plugin]]
// tables (id, type, enabled, grants); validate_table() checks any table against a schema (the core's or a
// plugin's). Every error names file:line:column, the key, and the allowed keys. Pure functions; no I/O except
// load_config().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hepek/abi.h"

namespace hepek::core {

struct SchemaRow {
  std::string key;
  hepek_config_type type = HEPEK_CONFIG_STRING;
  std::string default_literal;  // TOML literal, empty = none
  bool required = false;
  std::string description;
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
  // [bus]
  std::string broker;        // "embedded", or mqtt://host:port / mqtts://host:port
  std::string bind_address;  // embedded broker listener address
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

struct ConfigLoad {
  std::optional<HubConfig> config;
  std::vector<ConfigError> errors;
  bool ok() const { return config.has_value() && errors.empty(); }
};

const Schema& hub_schema();
const Schema& bus_schema();
const Schema& chain_schema();

ConfigLoad parse_config(const std::string& text, const std::string& source_name);
ConfigLoad load_config(const std::string& path);

// Checks `values` (key -> JSON value) against `schema`; returns the values with defaults filled in, and
// appends errors. `positions` maps key -> [line, column]; `table_line/column` locate the table for missing
// keys.
nlohmann::json validate_table(const nlohmann::json& values, const nlohmann::json& positions,
                              const Schema& schema, const std::string& table_name, const std::string& file,
                              int64_t table_line, int64_t table_column, std::vector<ConfigError>& errors);

// The demo default (config/hepek.toml is embedded at build time).
const std::string& embedded_default_config();

}  // namespace hepek::core
