#include "config.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <toml++/toml.h>
#include <fstream>
#include <set>
#include <sstream>

#include "embedded_config.hpp"

namespace hepek::core {

std::string ConfigError::to_string() const {
  if (line > 0) return fmt::format("{}:{}:{}: {}", file, line, column, message);
  return fmt::format("{}: {}", file, message);
}

const Schema& hub_schema() {
  static const Schema schema{
      {"name", HEPEK_CONFIG_STRING, "\"hepek\"", false, "Name of this hub"},
      {"data_dir", HEPEK_CONFIG_STRING, "\"./data\"", false,
       "Databases, keys and broker files (created 0700)"},
      {"timezone", HEPEK_CONFIG_STRING, "\"Europe/Amsterdam\"", false, "The home's IANA time zone"},
      {"log_level", HEPEK_CONFIG_STRING, "\"info\"", false, "debug, info, warning or error"},
      {"plugin_dirs", HEPEK_CONFIG_STRING_ARRAY, "[]", false,
       "Extra directories to load plugins from (the built-in plugin directory is always searched)"},
      {"step_s", HEPEK_CONFIG_INTEGER, "900", false, "Lock-step period in seconds (sense, decide, act)"},
      {"latitude", HEPEK_CONFIG_FLOAT, "52.37", false, "The home's latitude in degrees"},
      {"longitude", HEPEK_CONFIG_FLOAT, "4.90", false, "The home's longitude in degrees"},
  };
  return schema;
}

const Schema& bus_schema() {
  static const Schema schema{
      {"broker", HEPEK_CONFIG_STRING, "\"embedded\"", false,
       "\"embedded\" (a supervised Mosquitto) or mqtt://host:port / mqtts://host:port"},
      {"bind_address", HEPEK_CONFIG_STRING, "\"127.0.0.1\"", false,
       "Listener address of the embedded broker"},
      {"port", HEPEK_CONFIG_INTEGER, "1883", false, "Port of the embedded broker"},
      {"username", HEPEK_CONFIG_STRING, "\"\"", false, "External broker user"},
      {"password", HEPEK_CONFIG_STRING, "\"\"", false, "External broker password"},
      {"client", HEPEK_CONFIG_STRING, "\"mosquitto\"", false, "MQTT client library: mosquitto or paho"},
      {"keepalive_s", HEPEK_CONFIG_INTEGER, "30", false, "MQTT keep-alive in seconds"},
  };
  return schema;
}

const Schema& chain_schema() {
  static const Schema schema{
      {"endpoint", HEPEK_CONFIG_STRING, "\"\"", false,
       "\"embedded\" (a supervised anvil), a JSON-RPC URL, or empty"},
      {"port", HEPEK_CONFIG_INTEGER, "8545", false, "Port of the embedded chain node"},
      {"chain_id", HEPEK_CONFIG_INTEGER, "31337", false, "Chain id of the embedded chain"},
  };
  return schema;
}

namespace {

std::string type_name(hepek_config_type type) {
  switch (type) {
    case HEPEK_CONFIG_STRING:
      return "a string";
    case HEPEK_CONFIG_INTEGER:
      return "an integer";
    case HEPEK_CONFIG_FLOAT:
      return "a number";
    case HEPEK_CONFIG_BOOLEAN:
      return "true or false";
    case HEPEK_CONFIG_STRING_ARRAY:
      return "an array of strings";
    case HEPEK_CONFIG_TABLE:
      return "a table or array";
  }
  return "a value";
}

bool fits(hepek_config_type type, const nlohmann::json& value) {
  switch (type) {
    case HEPEK_CONFIG_STRING:
      return value.is_string();
    case HEPEK_CONFIG_INTEGER:
      return value.is_number_integer();
    case HEPEK_CONFIG_FLOAT:
      return value.is_number();
    case HEPEK_CONFIG_BOOLEAN:
      return value.is_boolean();
    case HEPEK_CONFIG_STRING_ARRAY:
      if (!value.is_array()) return false;
      for (const auto& item : value)
        if (!item.is_string()) return false;
      return true;
    case HEPEK_CONFIG_TABLE:
      return value.is_object() || value.is_array();
  }
  return false;
}

nlohmann::json to_json(const toml::node& node);

nlohmann::json to_json(const toml::node& node) {
  if (auto table = node.as_table()) {
    nlohmann::json object = nlohmann::json::object();
    for (const auto& [key, value] : *table) object[std::string(key.str())] = to_json(value);
    return object;
  }
  if (auto array = node.as_array()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& value : *array) list.push_back(to_json(value));
    return list;
  }
  if (auto value = node.as_string()) return value->get();
  if (auto value = node.as_integer()) return value->get();
  if (auto value = node.as_floating_point()) return value->get();
  if (auto value = node.as_boolean()) return value->get();
  std::ostringstream text;
  if (auto value = node.as_date_time())
    text << value->get();
  else if (auto value = node.as_date())
    text << value->get();
  else if (auto value = node.as_time())
    text << value->get();
  return text.str();
}

nlohmann::json positions_of(const toml::table& table) {
  nlohmann::json positions = nlohmann::json::object();
  for (const auto& [key, value] : table)
    positions[std::string(key.str())] = {static_cast<int64_t>(key.source().begin.line),
                                         static_cast<int64_t>(key.source().begin.column)};
  return positions;
}

nlohmann::json parse_literal(const std::string& literal) {
  auto parsed = toml::parse("v = " + literal);
  return to_json(*parsed.get("v"));
}

std::string allowed_keys(const Schema& schema, const std::set<std::string>& extra = {}) {
  std::string list;
  for (const auto& key : extra) list += (list.empty() ? "" : ", ") + key;
  for (const auto& row : schema) list += (list.empty() ? "" : ", ") + row.key;
  return list.empty() ? "(none)" : list;
}

}  // namespace

nlohmann::json validate_table(const nlohmann::json& values, const nlohmann::json& positions,
                              const Schema& schema, const std::string& table_name, const std::string& file,
                              int64_t table_line, int64_t table_column, std::vector<ConfigError>& errors) {
  nlohmann::json result = nlohmann::json::object();
  auto where = [&](const std::string& key) -> std::pair<int64_t, int64_t> {
    if (positions.contains(key)) return {positions[key][0].get<int64_t>(), positions[key][1].get<int64_t>()};
    return {table_line, table_column};
  };
  for (const auto& [key, value] : values.items()) {
    const SchemaRow* row = nullptr;
    for (const auto& candidate : schema)
      if (candidate.key == key) row = &candidate;
    const auto [line, column] = where(key);
    if (!row) {
      errors.push_back(
          {file, line, column,
           fmt::format("unknown key \"{}\" in {}; allowed keys: {}", key, table_name, allowed_keys(schema))});
      continue;
    }
    if (!fits(row->type, value)) {
      errors.push_back({file, line, column,
                        fmt::format("\"{}\" in {} must be {}, got {}", key, table_name, type_name(row->type),
                                    value.dump())});
      continue;
    }
    result[key] = value;
  }
  for (const auto& row : schema) {
    if (result.contains(row.key) || values.contains(row.key)) continue;
    if (row.required) {
      errors.push_back({file, table_line, table_column,
                        fmt::format("missing required key \"{}\" in {} ({}); allowed keys: {}", row.key,
                                    table_name, row.description, allowed_keys(schema))});
      continue;
    }
    if (!row.default_literal.empty()) {
      try {
        result[row.key] = parse_literal(row.default_literal);
      } catch (const std::exception& e) {
        errors.push_back({file, table_line, table_column,
                          fmt::format("the schema default of \"{}\" in {} is not a TOML value: {}", row.key,
                                      table_name, row.default_literal)});
      }
    }
  }
  return result;
}

ConfigLoad parse_config(const std::string& text, const std::string& source_name) {
  ConfigLoad load;
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& error) {
    load.errors.push_back({source_name, static_cast<int64_t>(error.source().begin.line),
                           static_cast<int64_t>(error.source().begin.column),
                           std::string("TOML syntax error: ") + std::string(error.description())});
    return load;
  }

  HubConfig config;
  config.file = source_name;
  auto& errors = load.errors;
  const std::set<std::string> top_level{"hub", "bus", "chain", "plugin"};
  for (const auto& [key, node] : root) {
    if (!top_level.count(std::string(key.str())))
      errors.push_back(
          {source_name, static_cast<int64_t>(key.source().begin.line),
           static_cast<int64_t>(key.source().begin.column),
           fmt::format("unknown table \"{}\"; allowed: [hub], [bus], [chain], [[plugin]]", key.str())});
  }

  auto core_table = [&](const char* name, const Schema& schema) {
    const toml::node* node = root.get(name);
    if (node && !node->is_table()) {
      errors.push_back({source_name, static_cast<int64_t>(node->source().begin.line),
                        static_cast<int64_t>(node->source().begin.column),
                        fmt::format("\"{}\" must be a table [{}]", name, name)});
      node = nullptr;
    }
    const toml::table empty;
    const toml::table& table = node ? *node->as_table() : empty;
    return validate_table(to_json(table), positions_of(table), schema, fmt::format("[{}]", name), source_name,
                          node ? static_cast<int64_t>(node->source().begin.line) : 0,
                          node ? static_cast<int64_t>(node->source().begin.column) : 0, errors);
  };

  const nlohmann::json hub = core_table("hub", hub_schema());
  const nlohmann::json bus = core_table("bus", bus_schema());
  const nlohmann::json chain = core_table("chain", chain_schema());
  if (!errors.empty()) return load;

  config.name = hub["name"];
  config.data_dir = hub["data_dir"];
  config.timezone = hub["timezone"];
  config.log_level = hub["log_level"];
  config.plugin_dirs = hub["plugin_dirs"].get<std::vector<std::string>>();
  config.step_s = hub["step_s"];
  config.latitude = hub["latitude"];
  config.longitude = hub["longitude"];
  config.broker = bus["broker"];
  config.bind_address = bus["bind_address"];
  config.port = bus["port"];
  config.username = bus["username"];
  config.password = bus["password"];
  config.client = bus["client"];
  config.keepalive_s = bus["keepalive_s"];
  config.chain_endpoint = chain["endpoint"];
  config.chain = chain;

  auto table_position = [&](const char* table, const char* key) -> std::pair<int64_t, int64_t> {
    if (auto node = root.get(table); node && node->is_table())
      if (auto value = node->as_table()->get(key))
        return {static_cast<int64_t>(value->source().begin.line),
                static_cast<int64_t>(value->source().begin.column)};
    return {0, 0};
  };
  auto semantic_error = [&](const char* table, const char* key, const std::string& message) {
    const auto [line, column] = table_position(table, key);
    errors.push_back({source_name, line, column, message});
  };
  if (config.step_s <= 0) semantic_error("hub", "step_s", "\"step_s\" in [hub] must be positive");
  if (config.port <= 0 || config.port > 65535)
    semantic_error("bus", "port", fmt::format("\"port\" in [bus] must be 1..65535, got {}", config.port));
  if (config.client != "mosquitto" && config.client != "paho")
    semantic_error(
        "bus", "client",
        fmt::format("\"client\" in [bus] must be \"mosquitto\" or \"paho\", got \"{}\"", config.client));
  if (config.broker != "embedded" && config.broker.rfind("mqtt://", 0) != 0 &&
      config.broker.rfind("mqtts://", 0) != 0)
    semantic_error(
        "bus", "broker",
        fmt::format("\"broker\" in [bus] must be \"embedded\" or mqtt://host:port or mqtts://host:port, "
                    "got \"{}\"",
                    config.broker));
  try {
    date::locate_zone(config.timezone);
  } catch (const std::exception&) {
    semantic_error(
        "hub", "timezone",
        fmt::format("\"timezone\" in [hub] is not an IANA time zone name such as \"Europe/Amsterdam\", got "
                    "\"{}\"",
                    config.timezone));
  }
  if (config.latitude < -90 || config.latitude > 90)
    semantic_error("hub", "latitude", "\"latitude\" in [hub] must be within -90..90");
  if (config.longitude < -180 || config.longitude > 180)
    semantic_error("hub", "longitude", "\"longitude\" in [hub] must be within -180..180");

  if (const toml::node* plugins = root.get("plugin")) {
    const toml::array* array = plugins->as_array();
    if (!array) {
      errors.push_back({source_name, static_cast<int64_t>(plugins->source().begin.line),
                        static_cast<int64_t>(plugins->source().begin.column),
                        "\"plugin\" must be an array of tables: write [[plugin]]"});
    } else {
      std::set<std::string> ids;
      for (const toml::node& element : *array) {
        const int64_t line = static_cast<int64_t>(element.source().begin.line);
        const int64_t column = static_cast<int64_t>(element.source().begin.column);
        const toml::table* table = element.as_table();
        if (!table) {
          errors.push_back({source_name, line, column, "each [[plugin]] entry must be a table"});
          continue;
        }
        PluginInstanceConfig instance;
        instance.line = line;
        instance.column = column;
        instance.positions = positions_of(*table);
        nlohmann::json values = to_json(*table);
        auto position = [&](const char* key) -> std::pair<int64_t, int64_t> {
          if (instance.positions.contains(key))
            return {instance.positions[key][0].get<int64_t>(), instance.positions[key][1].get<int64_t>()};
          return {line, column};
        };
        auto require_string = [&](const char* key) -> std::string {
          if (!values.contains(key)) {
            errors.push_back(
                {source_name, line, column, fmt::format("[[plugin]] is missing required key \"{}\"", key)});
            return {};
          }
          if (!values[key].is_string() || values[key].get<std::string>().empty()) {
            const auto [l, c] = position(key);
            errors.push_back(
                {source_name, l, c, fmt::format("\"{}\" in [[plugin]] must be a non-empty string", key)});
            return {};
          }
          return values[key];
        };
        instance.id = require_string("id");
        instance.type = require_string("type");
        if (!instance.id.empty()) {
          bool valid = true;
          for (char ch : instance.id)
            if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-')) valid = false;
          if (!valid || instance.id == "bridge") {
            const auto [l, c] = position("id");
            errors.push_back(
                {source_name, l, c,
                 fmt::format("plugin id \"{}\" must use only letters, digits, '-' and '_' and must not "
                             "be \"bridge\" (it becomes the MQTT topic level hepek/<id>/...)",
                             instance.id)});
          } else if (!ids.insert(instance.id).second) {
            // Not fatal for the hub: the first instance with this id runs, this one is refused.
            const auto [l, c] = position("id");
            instance.refusal =
                ConfigError{source_name, l, c,
                            fmt::format("duplicate plugin instance id \"{}\"; every [[plugin]] needs "
                                        "its own id (this one is not started)",
                                        instance.id)};
          }
        }
        if (values.contains("enabled")) {
          if (!values["enabled"].is_boolean()) {
            const auto [l, c] = position("enabled");
            errors.push_back({source_name, l, c, "\"enabled\" in [[plugin]] must be true or false"});
          } else {
            instance.enabled = values["enabled"];
          }
        }
        if (values.contains("grants")) {
          const auto& grants = values["grants"];
          bool valid = grants.is_array();
          if (valid)
            for (const auto& grant : grants) valid = valid && grant.is_string();
          if (!valid) {
            const auto [l, c] = position("grants");
            errors.push_back({source_name, l, c, "\"grants\" in [[plugin]] must be an array of strings"});
          } else {
            instance.grants = grants.get<std::vector<std::string>>();
          }
        }
        for (const char* reserved : {"id", "type", "enabled", "grants"}) values.erase(reserved);
        instance.settings = values;
        config.plugins.push_back(std::move(instance));
      }
    }
  }
  if (errors.empty()) load.config = std::move(config);
  return load;
}

ConfigLoad load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ConfigLoad load;
    load.errors.push_back({path, 0, 0, "cannot read the config file (does it exist?)"});
    return load;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_config(buffer.str(), path);
}

const std::string& embedded_default_config() {
  static const std::string text(kEmbeddedDefaultConfig);
  return text;
}

}  // namespace hepek::core
