// hepek::ConfigRow: one key of a plugin's [[plugin]] table, with its type, default and (ABI 1.1) constraints.
//
//   static std::vector<hepek::ConfigRow> config_schema() {
//     using hepek::ConfigRow;
//     return {
//         {"device", HEPEK_CONFIG_STRING, "", true, "Device name"},   // a plain row, as in SDK 1.0
//         ConfigRow{"backend", HEPEK_CONFIG_STRING, "\"gpio\"", false, "gpio, mqtt or sim"}.one_of({"gpio", "mqtt", "sim"}),
//         ConfigRow{"capacity_wh", HEPEK_CONFIG_FLOAT, "10000", false, "Usable capacity (Wh)"}.greater_than(0),
//         ConfigRow{"soc", HEPEK_CONFIG_FLOAT, "0.5", false, "Initial state of charge"}.between(0, 1),
//         ConfigRow{"cycle_s", HEPEK_CONFIG_DURATION, "900", false, "Billing cycle: \"15m\" or seconds"}.at_least(60),
//         ConfigRow{"registry", HEPEK_CONFIG_STRING, "", true, "Registry contract"}.only_when("role", "operator"),
//     };
//   }
//
// The first five fields are the ABI 1.0 row (key, type, TOML default literal, required, description) and keep
// aggregate initialisation as it was; each constraint method sets its field and returns a copy of the row, so they
// chain on a temporary. The hub enforces the constraints when it validates the table (in `hepek config check` as
// in `hepek run`): enum values for STRING and STRING_ARRAY keys; bounds for INTEGER, FLOAT and DURATION values
// (seconds for a duration) and for a STRING's length in bytes; only_when scoping (a key outside its role is an
// error, and `required` applies only within it).
// A DURATION is written as integer seconds or "90s", "15m", "1h30m"; the plugin receives integer seconds.
//
// Contract: value types, no shared state. The methods only record; check() (run by the descriptor machinery when
// the library is loaded) reports a row that contradicts itself (a bound on a boolean, an enum on a number, an
// empty only_when key, minimum above maximum), naming the key.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hepek/abi.h"
#include "hepek/result.hpp"

namespace hepek {

struct ConfigRow {
  std::string key;
  hepek_config_type type = HEPEK_CONFIG_STRING;
  std::string default_value;  // TOML literal; empty = no default
  bool required = false;
  std::string description;

  // ABI 1.1 constraints (see hepek_config_constraint in abi.h).
  std::vector<std::string> allowed =
      {};  // enum: the only values a STRING (or each STRING_ARRAY element) may take
  std::optional<double> minimum = {};
  bool exclusive_minimum = false;  // with minimum: the value must be greater than it
  std::optional<double> maximum = {};
  std::string applies_when = {};  // only_when(): "other_key=value", or empty

  ConfigRow one_of(std::vector<std::string> values) {
    allowed = std::move(values);
    return *this;
  }
  ConfigRow at_least(double bound) {
    minimum = bound;
    exclusive_minimum = false;
    return *this;
  }
  ConfigRow greater_than(double bound) {
    minimum = bound;
    exclusive_minimum = true;
    return *this;
  }
  ConfigRow at_most(double bound) {
    maximum = bound;
    return *this;
  }
  ConfigRow between(double low, double high) { return at_least(low).at_most(high); }
  // The key belongs only to instances whose `other_key` is `value` (after defaults), e.g. only_when("role",
  // "member").
  ConfigRow only_when(const std::string& other_key, const std::string& value) {
    applies_when = other_key + "=" + value;
    return *this;
  }

  bool has_constraints() const { return !allowed.empty() || minimum || maximum || !applies_when.empty(); }

  // Whether the row is coherent; the error names the key and what is wrong.
  Status check() const {
    const auto bad = [this](const std::string& what) {
      return Status::failure("config row \"" + key + "\": " + what);
    };
    if (key.empty()) return Status::failure("a config row has an empty key");
    if (!allowed.empty() && type != HEPEK_CONFIG_STRING && type != HEPEK_CONFIG_STRING_ARRAY)
      return bad("allowed values (one_of) need a string or string-array row");
    if ((minimum || maximum) && type != HEPEK_CONFIG_INTEGER && type != HEPEK_CONFIG_FLOAT &&
        type != HEPEK_CONFIG_DURATION && type != HEPEK_CONFIG_STRING)
      return bad("bounds need an integer, float, duration or string row");
    if (minimum && maximum && (*minimum > *maximum || (exclusive_minimum && *minimum == *maximum)))
      return bad("its minimum is not below its maximum");
    if (!applies_when.empty()) {
      const auto equals = applies_when.find('=');
      if (equals == std::string::npos || equals == 0 || equals + 1 == applies_when.size())
        return bad("only_when must be \"other_key=value\", got \"" + applies_when + "\"");
      if (applies_when.substr(0, equals) == key) return bad("only_when cannot refer to the key itself");
    }
    return Status::success();
  }
};

// Checks a whole schema: every row coherent, no key twice, every only_when naming a key of the schema.
inline Status check_schema(const std::vector<ConfigRow>& rows) {
  for (size_t i = 0; i < rows.size(); ++i) {
    if (Status status = rows[i].check(); !status) return status;
    for (size_t j = 0; j < i; ++j)
      if (rows[j].key == rows[i].key)
        return Status::failure("config row \"" + rows[i].key + "\" appears twice");
    if (!rows[i].applies_when.empty()) {
      const std::string other = rows[i].applies_when.substr(0, rows[i].applies_when.find('='));
      bool found = false;
      for (const auto& row : rows) found = found || row.key == other;
      if (!found)
        return Status::failure("config row \"" + rows[i].key + "\": only_when names \"" + other +
                               "\", which is not a key of this schema");
    }
  }
  return Status::success();
}

}  // namespace hepek
