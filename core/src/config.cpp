#include "config.hpp"

#include "hepek/config_values.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <toml++/toml.h>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cli_options.hpp"
#include "embedded_config.hpp"

namespace hepek::core {

std::string ConfigError::to_string() const {
  if (line > 0) return fmt::format("{}:{}:{}: {}", file, line, column, message);
  return fmt::format("{}: {}", file, message);
}

namespace {

SchemaRow one_of(SchemaRow row, std::vector<std::string> allowed) {
  row.allowed = std::move(allowed);
  return row;
}

SchemaRow within(SchemaRow row, double minimum, double maximum) {
  row.minimum = minimum;
  row.maximum = maximum;
  return row;
}

SchemaRow checked(SchemaRow row, std::function<std::string(const nlohmann::json&)> check) {
  row.check = std::move(check);
  return row;
}

std::string check_timezone(const nlohmann::json& value) {
  try {
    date::locate_zone(value.get<std::string>());
    return "";
  } catch (const std::exception&) {
    return "is not an IANA time zone name such as \"Europe/Amsterdam\"";
  }
}

std::string check_broker(const nlohmann::json& value) {
  const auto parsed = parse_broker_address(value.get<std::string>());
  if (const auto* error = std::get_if<std::string>(&parsed)) return "is not a broker address: " + *error;
  return "";
}

}  // namespace

const Schema& hub_schema() {
  static const Schema schema{
      {"name", HEPEK_CONFIG_STRING, "\"hepek\"", false, "Name of this hub"},
      // Stays relative to the working directory (not the config file): it is where this run keeps its state.
      {"data_dir", HEPEK_CONFIG_STRING, "\"./data\"", false,
       "Databases, keys and broker files (created 0700)"},
      checked({"timezone", HEPEK_CONFIG_STRING, "\"Europe/Amsterdam\"", false, "The home's IANA time zone"},
              check_timezone),
      one_of({"log_level", HEPEK_CONFIG_STRING, "\"info\"", false, "debug, info, warning or error"},
             {"debug", "info", "warning", "error"}),
      {"plugin_dirs", HEPEK_CONFIG_STRING_ARRAY, "[]", false,
       "Extra directories to load plugins from (the built-in plugin directory is always searched)"},
      within(
          {"step_s", HEPEK_CONFIG_INTEGER, "900", false, "Lock-step period in seconds (sense, decide, act)"},
          1, 86400),
      within({"latitude", HEPEK_CONFIG_FLOAT, "52.37", false, "The home's latitude in degrees"}, -90, 90),
      within({"longitude", HEPEK_CONFIG_FLOAT, "4.90", false, "The home's longitude in degrees"}, -180, 180),
      one_of({"location", HEPEK_CONFIG_STRING, "\"config\"", false,
              "config (latitude/longitude above) or gps (the first device implementing location with a "
              "fix; latitude/longitude until then)"},
             {"config", "gps"}),
  };
  return schema;
}

const Schema& bus_schema() {
  static const Schema schema{
      checked({"broker", HEPEK_CONFIG_STRING, "\"embedded\"", false,
               "\"embedded\" (a supervised Mosquitto) or mqtt://host:port / mqtts://host:port"},
              check_broker),
      {"bind_address", HEPEK_CONFIG_STRING, "\"127.0.0.1\"", false,
       "Listener address of the embedded broker"},
      within({"port", HEPEK_CONFIG_INTEGER, "1883", false, "Port of the embedded broker"}, 1, 65535),
      {"username", HEPEK_CONFIG_STRING, "\"\"", false, "External broker user"},
      {"password", HEPEK_CONFIG_STRING, "\"\"", false, "External broker password"},
      one_of(
          {"client", HEPEK_CONFIG_STRING, "\"mosquitto\"", false, "MQTT client library: mosquitto or paho"},
          {"mosquitto", "paho"}),
      within({"keepalive_s", HEPEK_CONFIG_INTEGER, "30", false, "MQTT keep-alive in seconds"}, 1, 3600),
  };
  return schema;
}

const Schema& chain_schema() {
  static const Schema schema{
      {"endpoint", HEPEK_CONFIG_STRING, "\"\"", false,
       "\"embedded\" (a supervised anvil), a JSON-RPC URL, or empty"},
      within({"port", HEPEK_CONFIG_INTEGER, "8545", false, "Port of the embedded chain node"}, 1, 65535),
      within({"chain_id", HEPEK_CONFIG_INTEGER, "31337", false, "Chain id of the embedded chain"}, 1,
             9007199254740991.0),
  };
  return schema;
}

namespace {

std::string type_name(hepek_config_type type) {
  return config_type_name(type);
}

bool fits(hepek_config_type type, const nlohmann::json& value) {
  switch (type) {
    case HEPEK_CONFIG_STRING:
    case HEPEK_CONFIG_PATH:
      return value.is_string();
    case HEPEK_CONFIG_DURATION:
      return value.is_number_integer() || value.is_string();
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

std::variant<int64_t, std::string> parse_config_duration(const nlohmann::json& value) {
  if (value.is_number_integer()) {
    if (value.get<int64_t>() < 0) return std::string("a duration cannot be negative");
    return value.get<int64_t>();
  }
  if (!value.is_string()) return std::string("a duration is integer seconds or a string such as \"15m\"");
  const std::string& text = value.get_ref<const std::string&>();
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos)
    return std::string("a duration string needs a unit (e.g. \"" + text +
                       "s\"), or write the seconds unquoted");
  const auto ms = parse_duration_ms(text);
  if (!ms)
    return std::string("not a duration: write parts <integer><unit>, unit ms s m h d (e.g. \"1h30m\")");
  if (*ms > 0 && *ms < 1000) return std::string("a duration other than 0 must be at least 1 s");
  return *ms / 1000;
}

namespace {

std::string number_text(double value) {
  return fmt::format("{}", value);
}

std::string allowed_text(const std::vector<std::string>& allowed) {
  std::string text;
  for (const auto& value : allowed) text += (text.empty() ? "\"" : ", \"") + value + "\"";
  return text;
}

// What is wrong with a well-typed `value` under `row`'s constraints, or "".
std::string constraint_problem(const SchemaRow& row, const nlohmann::json& value) {
  if (row.type == HEPEK_CONFIG_FLOAT && !std::isfinite(value.get<double>())) return "must be a finite number";
  if (!row.allowed.empty()) {
    auto accepted = [&](const nlohmann::json& item) {
      return std::find(row.allowed.begin(), row.allowed.end(), item.get<std::string>()) != row.allowed.end();
    };
    bool ok = true;
    if (value.is_string())
      ok = accepted(value);
    else if (value.is_array())
      for (const auto& item : value) ok = ok && accepted(item);
    if (!ok) return "must be one of " + allowed_text(row.allowed);
  }
  if (row.minimum || row.maximum) {
    std::optional<double> measured;
    std::string unit;
    if (value.is_number()) measured = value.get<double>();
    if (row.type == HEPEK_CONFIG_DURATION) unit = " s";
    if (value.is_string() && row.type == HEPEK_CONFIG_STRING) {
      measured = static_cast<double>(value.get<std::string>().size());
      unit = " bytes long";
    }
    if (measured) {
      const bool low =
          row.minimum && (row.exclusive_minimum ? *measured <= *row.minimum : *measured < *row.minimum);
      const bool high = row.maximum && *measured > *row.maximum;
      if (low || high) {
        if (row.minimum && row.maximum && !row.exclusive_minimum)
          return fmt::format("must be within {}..{}{}", number_text(*row.minimum), number_text(*row.maximum),
                             unit);
        std::string text;
        if (row.minimum)
          text = fmt::format("must be {} {}{}", row.exclusive_minimum ? "greater than" : "at least",
                             number_text(*row.minimum), unit);
        if (row.maximum)
          text += fmt::format("{}at most {}{}", text.empty() ? "must be " : " and ",
                              number_text(*row.maximum), unit);
        return text;
      }
    }
  }
  if (row.check) return row.check(value);
  return "";
}

// The value of `key` after defaults, as only_when compares it: a string as written, anything else as JSON.
std::string comparable(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

nlohmann::json validate_table(const nlohmann::json& values, const nlohmann::json& positions,
                              const Schema& schema, const std::string& table_name, const std::string& file,
                              int64_t table_line, int64_t table_column, std::vector<ConfigError>& errors,
                              const std::string& base_directory) {
  nlohmann::json result = nlohmann::json::object();
  std::set<std::string> invalid;  // written, but wrong: a default stands in so later checks can go on
  auto where = [&](const std::string& key) -> std::pair<int64_t, int64_t> {
    if (positions.contains(key)) return {positions[key][0].get<int64_t>(), positions[key][1].get<int64_t>()};
    return {table_line, table_column};
  };
  auto find_row = [&](const std::string& key) -> const SchemaRow* {
    for (const auto& candidate : schema)
      if (candidate.key == key) return &candidate;
    return nullptr;
  };
  for (const auto& item : values.items()) {
    // Named variables, not structured bindings: the reject lambda captures them (clang 14, the fuzz preset's
    // compiler, cannot capture a structured binding).
    const std::string& key = item.key();
    const nlohmann::json& written = item.value();
    const std::pair<int64_t, int64_t> position = where(key);
    const int64_t line = position.first;
    const int64_t column = position.second;
    const SchemaRow* row = find_row(key);
    if (!row) {
      errors.push_back(
          {file, line, column,
           fmt::format("unknown key \"{}\" in {}; allowed keys: {}", key, table_name, allowed_keys(schema))});
      continue;
    }
    auto reject = [&](const std::string& problem) {
      errors.push_back({file, line, column,
                        fmt::format("\"{}\" in {} {}, got {}", key, table_name, problem, written.dump())});
      invalid.insert(key);
    };
    if (!fits(row->type, written)) {
      reject("must be " + type_name(row->type));
      continue;
    }
    nlohmann::json value = written;
    if (row->type == HEPEK_CONFIG_DURATION) {
      const auto seconds = parse_config_duration(written);
      if (const auto* problem = std::get_if<std::string>(&seconds)) {
        reject("must be " + type_name(row->type) + ": " + *problem);
        continue;
      }
      value = std::get<int64_t>(seconds);
    }
    if (const std::string problem = constraint_problem(*row, value); !problem.empty()) {
      reject(problem);
      continue;
    }
    if (row->type == HEPEK_CONFIG_PATH && !base_directory.empty() && !value.get<std::string>().empty()) {
      const std::filesystem::path path(value.get<std::string>());
      if (path.is_relative())
        value = (std::filesystem::path(base_directory) / path).lexically_normal().string();
    }
    result[key] = value;
  }
  for (const auto& row : schema) {
    if (result.contains(row.key)) continue;
    if (row.default_literal.empty()) continue;
    try {
      nlohmann::json value = parse_literal(row.default_literal);
      if (row.type == HEPEK_CONFIG_DURATION)
        if (const auto seconds = parse_config_duration(value); std::holds_alternative<int64_t>(seconds))
          value = std::get<int64_t>(seconds);
      result[row.key] = value;
    } catch (const std::exception& e) {
      errors.push_back({file, table_line, table_column,
                        fmt::format("the schema default of \"{}\" in {} is not a TOML value: {}", row.key,
                                    table_name, row.default_literal)});
    }
  }
  // Role scoping and required keys, judged on the values after defaults.
  for (const auto& row : schema) {
    bool applies = true;
    std::string condition;
    if (!row.only_when_key.empty()) {
      const std::string actual =
          result.contains(row.only_when_key) ? comparable(result[row.only_when_key]) : std::string("(unset)");
      applies = actual == row.only_when_value;
      condition = fmt::format("{} = \"{}\"", row.only_when_key, row.only_when_value);
      if (!applies && values.contains(row.key)) {
        const auto [line, column] = where(row.key);
        errors.push_back({file, line, column,
                          fmt::format("\"{}\" in {} applies only when {}, but here {} = \"{}\"", row.key,
                                      table_name, condition, row.only_when_key, actual)});
      }
    }
    if (applies && row.required && !values.contains(row.key))
      errors.push_back({file, table_line, table_column,
                        fmt::format("missing required key \"{}\" in {}{} ({}); allowed keys: {}", row.key,
                                    table_name, condition.empty() ? "" : " when " + condition,
                                    row.description, allowed_keys(schema))});
  }
  return result;
}

ConfigLoad parse_config(const std::string& text, const std::string& source_name,
                        const std::string& base_directory) {
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

  // Invalid values were reported and replaced by their defaults, so the config below is complete either way.
  const nlohmann::json hub = core_table("hub", hub_schema());
  const nlohmann::json bus = core_table("bus", bus_schema());
  const nlohmann::json chain = core_table("chain", chain_schema());

  config.directory = base_directory.empty() ? std::filesystem::current_path().string() : base_directory;
  config.name = hub["name"];
  config.data_dir = hub["data_dir"];
  config.timezone = hub["timezone"];
  config.log_level = hub["log_level"];
  for (const auto& directory : hub["plugin_dirs"].get<std::vector<std::string>>()) {
    // Like every path in the file (data_dir aside), relative plugin directories are the file's.
    const std::filesystem::path path(directory);
    config.plugin_dirs.push_back(
        path.is_relative() && !directory.empty()
            ? (std::filesystem::path(config.directory) / path).lexically_normal().string()
            : directory);
  }
  config.step_s = hub["step_s"];
  config.latitude = hub["latitude"];
  config.longitude = hub["longitude"];
  config.location = hub["location"];
  config.broker = bus["broker"];
  const auto broker_address = parse_broker_address(config.broker);
  if (const auto* address = std::get_if<BrokerAddress>(&broker_address)) config.broker_address = *address;
  config.bind_address = bus["bind_address"];
  config.port = bus["port"];
  config.username = bus["username"];
  config.password = bus["password"];
  config.client = bus["client"];
  config.keepalive_s = bus["keepalive_s"];
  config.chain_endpoint = chain["endpoint"];
  config.chain = chain;

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
  load.config = std::move(config);
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
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(path, error);
  return parse_config(buffer.str(), path, error ? std::string() : absolute.parent_path().string());
}

const std::string& embedded_default_config() {
  static const std::string text(kEmbeddedDefaultConfig);
  return text;
}

}  // namespace hepek::core
