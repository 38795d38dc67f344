#include "hostile_payloads.hpp"

#include <random>

namespace hepek::testing::hostile {
namespace {

constexpr std::size_t kHugeString = 900 * 1000;  // under the 1 MiB limit with room for the rest of the object

std::string quoted(const std::string& text) {
  return nlohmann::json(text).dump();
}

// The object `valid` with `key` set to the raw JSON text `raw` (which need not be valid JSON), as text.
std::string with_raw(const nlohmann::json& valid, const std::string& key, const std::string& raw) {
  std::string text = "{";
  for (const auto& [name, value] : valid.items()) {
    if (name == key) continue;
    text += quoted(name) + ":" + value.dump() + ",";
  }
  return text + quoted(key) + ":" + raw + "}";
}

std::string first_key(const nlohmann::json& valid) {
  return valid.empty() ? std::string("value") : valid.begin().key();
}

std::string number_text(double value) {
  return nlohmann::json(value).dump();
}

class Builder {
 public:
  explicit Builder(bool transactions) : transactions_(transactions) {}
  void add(const std::string& kind, std::string text) { payloads_.push_back({kind, std::move(text), {}}); }
  // A readable object that also carries a transaction when the topic echoes one.
  void add_object(const std::string& kind, nlohmann::json object) {
    std::string transaction;
    if (transactions_) {
      transaction = "hostile-" + std::to_string(payloads_.size());
      object["transaction"] = transaction;
    }
    payloads_.push_back({kind, object.dump(), transaction});
  }
  std::vector<Payload> take() { return std::move(payloads_); }

 private:
  bool transactions_;
  std::vector<Payload> payloads_;
};

}  // namespace

std::string nested(std::size_t levels) {
  return std::string(levels, '[') + std::string(levels, ']');
}

std::vector<Payload> generic(const nlohmann::json& valid, bool transactions, bool empty_is_valid) {
  Builder out(transactions);
  const std::string key = first_key(valid);
  const std::string text = valid.dump();

  for (const char* bad : {"{", "}", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "tru", "{\"a\" 1}", "[1,2", "\"open",
                          "{\"a\":1}}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":0x10}", "//{}"})
    out.add("invalid JSON", bad);
  for (const std::size_t keep : {std::size_t{1}, text.size() / 2, text.size() - 1})
    out.add("truncated", text.substr(0, keep));
  for (const char* special : {"NaN", "Infinity", "-Infinity", "nan", "inf"})
    out.add("NaN/Infinity text", with_raw(valid, key, special));

  nlohmann::json huge_value = valid;
  huge_value[key] = std::string(kHugeString, 'x');
  out.add("huge string", huge_value.dump());
  nlohmann::json huge_key = valid;
  huge_key[std::string(kHugeString, 'k')] = 1;
  out.add("huge string", huge_key.dump());
  nlohmann::json huge_transaction = valid;
  huge_transaction["transaction"] = std::string(kHugeString, 't');
  out.add("huge transaction id", huge_transaction.dump());

  nlohmann::json unknown = valid;
  unknown["no_such_field"] = 1;
  out.add_object("unknown field", unknown);
  out.add_object("unknown field", nlohmann::json{{"zzz", nullptr}});
  nlohmann::json unknown_huge = valid;
  unknown_huge["padding"] = std::string(kHugeString, 'p');
  out.add_object("unknown field", unknown_huge);

  for (const std::size_t levels : {std::size_t{1000}, std::size_t{30000}, std::size_t{100000}}) {
    const std::string kind = levels == 1000    ? "nesting 1,000 levels"
                             : levels == 30000 ? "nesting 30,000 levels (60 KB)"
                                               : "nesting 100,000 levels (200 KB)";
    out.add(kind, nested(levels));
    out.add(kind, with_raw(valid, key, nested(levels)));
    std::string objects;
    for (std::size_t i = 0; i < levels; ++i) objects += "{\"a\":";
    objects += "1" + std::string(levels, '}');
    out.add(kind, objects);  // 600 KB for 100,000 levels: still under the size limit
  }
  out.add("nesting 65 levels", with_raw(valid, key, nested(64)));  // the field value at level 65

  for (const std::string& array :
       {std::string("[]"), "[" + text + "]", std::string("[1,2,3]"), std::string("[[]]")})
    out.add("array instead of object", array);
  for (const char* scalar : {"1", "-0.5", "\"text\"", "null", "true", "false"})
    out.add("not an object", scalar);
  if (!empty_is_valid) {  // a bridge request without parameters may be empty or {}
    out.add("empty payload", "");
    out.add("empty object", "{}");
  }
  out.add("whitespace only", " \n\t ");

  out.add("invalid UTF-8", "\xff\xfe\xfd");
  out.add("invalid UTF-8", with_raw(valid, key, "\"\xff\xfe\""));
  out.add("invalid UTF-8", "{\"\xc3\x28\":1}");
  out.add("invalid UTF-8", with_raw(valid, key, "\"\xed\xa0\x80\""));  // a UTF-16 surrogate as UTF-8
  out.add("invalid UTF-8", with_raw(valid, key, "\"\\ud800\""));       // a lone surrogate escape
  std::mt19937 random(9);
  for (int i = 0; i < 3; ++i) {
    std::string bytes(256, '\0');
    for (auto& byte : bytes) byte = static_cast<char>(random() & 0xff);
    out.add("binary", bytes);
  }

  out.add("NUL byte", text + std::string(1, '\0') + "{\"x\":1}");
  out.add("NUL byte", std::string(1, '\0') + text);
  out.add("NUL byte", std::string(1, '\0'));
  out.add("NUL byte", with_raw(valid, key, std::string("\"a") + '\0' + "b\""));
  out.add("NUL byte", text.substr(0, text.size() - 1) + std::string(1, '\0') + "}");

  const std::string value = valid.empty() ? "1" : valid.begin().value().dump();
  out.add("duplicate keys", "{" + quoted(key) + ":" + value + "," + quoted(key) + ":" + value + "}");
  out.add("duplicate keys", with_raw(valid, key, value + "," + quoted(key) + ":" + value));
  out.add("duplicate keys", "{\"a\":{\"b\":1,\"b\":2}}");
  return out.take();
}

std::vector<Payload> device_fields(const nlohmann::json& writable) {
  Builder out(false);
  nlohmann::json valid = nlohmann::json::object();
  for (const auto& [field, schema] : writable.items()) {
    const std::string type = schema.value("type", "");
    if (type == "number" || type == "integer")
      valid[field] = schema.contains("min") ? schema["min"] : nlohmann::json(0);
    else if (type == "enum")
      valid[field] = schema["values"][0];
    else if (type == "boolean")
      valid[field] = true;
    else
      valid[field] = "x";
  }
  for (const auto& [field, schema] : writable.items()) {
    const std::string type = schema.value("type", "");
    std::vector<std::string> wrong{"null", "[1]", "{\"v\":1}"};
    std::vector<std::string> range;
    if (type == "number" || type == "integer") {
      wrong.insert(wrong.end(), {"\"12\"", "true", "\"\""});
      if (schema.contains("min")) range.push_back(number_text(schema["min"].get<double>() - 1));
      if (schema.contains("max")) range.push_back(number_text(schema["max"].get<double>() + 1));
      range.insert(range.end(),
                   {"1e308", "-1e308", "1e400", "-1e400", "1e999999", "99999999999999999999999"});
      if (type == "integer") wrong.insert(wrong.end(), {"1.5", "1e2"});
    } else if (type == "enum") {
      wrong.insert(wrong.end(), {"1", "true", "\"no-such-value\"", "\"\"", "[" + valid[field].dump() + "]"});
      wrong.push_back("\"" + std::string(10000, 'e') + "\"");
    } else if (type == "boolean") {
      wrong.insert(wrong.end(), {"1", "0", "\"true\"", "\"\""});
    } else {
      wrong.insert(wrong.end(), {"1", "true"});
      if (schema.contains("max_length"))
        range.push_back(quoted(std::string(schema["max_length"].get<std::size_t>() + 1, 's')));
    }
    for (const auto& raw : wrong) out.add("wrong type (" + field + ")", with_raw(valid, field, raw));
    for (const auto& raw : range) out.add("out-of-range number (" + field + ")", with_raw(valid, field, raw));
  }
  return out.take();
}

std::vector<Payload> bridge_fields() {
  Builder out(false);
  for (const char* raw : {"1.5", "true", "false", "null", "[1]", "{\"a\":1}", "\"\"", "1e400", "-1e400",
                          "18446744073709551616", "-99999999999999999999"})
    out.add("wrong type (transaction)", with_raw(nlohmann::json::object(), "transaction", raw));
  out.add("huge transaction id",
          with_raw(nlohmann::json::object(), "transaction", quoted(std::string(257, 't'))));
  out.add("huge transaction id",
          with_raw(nlohmann::json::object(), "transaction", quoted(std::string(100000, 't'))));
  return out.take();
}

std::vector<Payload> recorder_fields(const nlohmann::json& valid) {
  Builder out(false);
  const std::vector<std::pair<std::string, std::vector<std::string>>> wrong{
      {"device", {"1", "\"\"", "null", "[\"battery\"]", "{}", "\"no-such-device\""}},
      {"fields", {"\"soc\"", "[1]", "[\"\"]", "[\"no_such_field\"]", "{}", "[[\"soc\"]]", "null"}},
      {"from", {"1", "\"soon\"", "\"2024-13-01\"", "\"2024-01-01T25:00:00Z\"", "null", "\"2030-01-01\""}},
      {"to", {"1", "\"later\"", "\"2023-01-01\"", "null", "[]"}},
      {"resolution", {"\"5m\"", "1", "null", "\"RAW\""}},
      {"stat", {"\"median\"", "1", "null"}},
      {"limit", {"0", "-1", "1.5", "\"10\"", "1e9", "1e400", "99999999999999999999", "null"}},
      {"cursor",
       {"\"\"", "1", "null", "\"garbage\"", "\"1.2.3\"", "\"1.1.0.0.0000000000000000\"",
        "\"" + std::string(10000, 'c') + "\"", "\"1.-1.-1.-1.ffffffffffffffff\""}},
  };
  for (const auto& [field, values] : wrong)
    for (const auto& raw : values)
      out.add(field == "limit" || field == "from" || field == "to" ? "out-of-range value (" + field + ")"
                                                                   : "wrong type or value (" + field + ")",
              with_raw(valid, field, raw));
  return out.take();
}

std::string oversize(std::size_t bytes) {
  const std::string head = "{\"x\":\"";
  return head + std::string(bytes - head.size() - 2, 'o') + "\"}";
}

}  // namespace hepek::testing::hostile
