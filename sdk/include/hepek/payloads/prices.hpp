// hepek/tariff/prices (retained, topic contract version 2): the import and export price of every known
// interval, in ONE integer unit, micro-EUR per MWh (µEUR/MWh; 278.3 EUR/MWh = 278'300'000). Published by the
// tariff plugin; read by the planner and sim-grid through this type only.
//
//   {"schema":2,"ts":"2023-08-01T11:00:00.000Z","source":"csv","currency":"EUR","unit":"uEUR/MWh",
//    "resolution_s":3600,"known_until_ms":1690869600000,"gaps_filled":0,"export":"spot","composition":{...},
//    "prices":[{"start_ms":1690840800000,"length_s":3600,"import_ueur_per_mwh":278300000,
//               "export_ueur_per_mwh":80000000,"spot_ueur_per_mwh":80000000,"filled":false},...]}
// "spot_ueur_per_mwh", "composition", "export", "conflicting" are optional; intervals are sorted and do not
// overlap. known_until_ms (the end of the last interval) is written for readers and not read back.
//
// Contract: header-only value type. parse() never throws: a wrong message is an error naming the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../result.hpp"
#include "json_fields.hpp"

namespace hepek::payloads {

struct PriceInterval {
  std::int64_t start_ms = 0;  // Unix milliseconds
  std::int64_t length_s = 0;
  std::int64_t import_ueur_per_mwh = 0;  // all-in price of energy taken from the grid
  std::int64_t export_ueur_per_mwh = 0;  // what energy fed in earns (0 when export is not paid)
  std::optional<std::int64_t> spot_ueur_per_mwh;
  bool filled = false;       // a gap in the source, filled conservatively
  bool conflicting = false;  // the source had two different prices for it

  std::int64_t end_ms() const { return start_ms + length_s * 1000; }
  bool operator==(const PriceInterval&) const = default;
};

struct PriceMessage {
  static constexpr const char* kUnit = "uEUR/MWh";
  std::string ts;  // ISO 8601 UTC of publication (hepek::iso8601_utc)
  std::string source;
  std::string currency = "EUR";
  std::int64_t resolution_s = 0;
  std::int64_t gaps_filled = 0;
  std::string export_mode;     // "spot" | "fixed" | "none" | "" (not stated)
  nlohmann::json composition;  // the tariff's composition, informative; null when not given
  std::vector<PriceInterval> prices;

  std::int64_t known_until_ms() const { return prices.empty() ? 0 : prices.back().end_ms(); }

  // The interval covering t_ms, or nullptr.
  const PriceInterval* at(std::int64_t t_ms) const {
    for (const auto& p : prices)
      if (t_ms >= p.start_ms && t_ms < p.end_ms()) return &p;
    return nullptr;
  }

  nlohmann::json to_json() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : prices) {
      nlohmann::json slot{{"start_ms", p.start_ms},
                          {"length_s", p.length_s},
                          {"import_ueur_per_mwh", p.import_ueur_per_mwh},
                          {"export_ueur_per_mwh", p.export_ueur_per_mwh}};
      if (p.spot_ueur_per_mwh) slot["spot_ueur_per_mwh"] = *p.spot_ueur_per_mwh;
      slot["filled"] = p.filled;
      if (p.conflicting) slot["conflicting"] = true;
      list.push_back(std::move(slot));
    }
    nlohmann::json j{{"schema", 2},
                     {"ts", ts},
                     {"source", source},
                     {"currency", currency},
                     {"unit", kUnit},
                     {"resolution_s", resolution_s},
                     {"known_until_ms", known_until_ms()},
                     {"gaps_filled", gaps_filled}};
    if (!export_mode.empty()) j["export"] = export_mode;
    if (!composition.is_null()) j["composition"] = composition;
    j["prices"] = std::move(list);
    return j;
  }

  // Text overloads (a std::string would otherwise convert to both string_view and json).
  static Result<PriceMessage> parse(const std::string& text) { return parse(std::string_view(text)); }
  static Result<PriceMessage> parse(const char* text) { return parse(std::string_view(text)); }
  static Result<PriceMessage> parse(std::string_view text) {
    auto json = fields::object_from_text(text, "hepek/tariff/prices");
    if (!json) return Result<PriceMessage>::failure(json.error());
    return parse(*json);
  }

  static Result<PriceMessage> parse(const nlohmann::json& json) {
    using R = Result<PriceMessage>;
    const std::string what = "hepek/tariff/prices";
    if (!json.is_object()) return R::failure(what + " is not a JSON object");
    PriceMessage m;
    const auto unit = fields::string(json, "unit", "");
    if (!unit) return R::failure(what + ": " + unit.error());
    if (*unit != kUnit)
      return R::failure(what + ": unit is \"" + *unit + "\", expected \"" + kUnit +
                        "\" (a version-1 message in EUR/MWh?)");
    fields::Reader top(json, "");
    m.ts = top.optional_string("ts");
    m.source = top.optional_string("source");
    const std::string currency = top.optional_string("currency");
    m.export_mode = top.optional_string("export");
    m.resolution_s = top.optional_integer("resolution_s").value_or(0);
    m.gaps_filled = top.optional_integer("gaps_filled").value_or(0);
    if (!top.ok()) return R::failure(what + ": " + top.error());
    if (!currency.empty()) m.currency = currency;
    if (m.resolution_s < 0) return R::failure(what + ": resolution_s is negative");
    if (json.contains("composition")) m.composition = json["composition"];
    const auto list = json.find("prices");
    if (list == json.end() || !list->is_array()) return R::failure(what + ": prices is not an array");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string where = "prices[" + std::to_string(i) + "]";
      const auto& item = (*list)[i];
      if (!item.is_object()) return R::failure(what + ": " + where + " is not an object");
      PriceInterval p;
      fields::Reader r(item, where);
      p.start_ms = r.integer("start_ms");
      p.length_s = r.integer("length_s");
      p.import_ueur_per_mwh = r.integer("import_ueur_per_mwh");
      p.export_ueur_per_mwh = r.integer("export_ueur_per_mwh");
      p.spot_ueur_per_mwh = r.optional_integer("spot_ueur_per_mwh");
      p.filled = r.optional_boolean("filled");
      p.conflicting = r.optional_boolean("conflicting");
      if (!r.ok()) return R::failure(what + ": " + r.error());
      if (p.length_s <= 0) return R::failure(what + ": " + where + ".length_s must be positive");
      if (!m.prices.empty() && p.start_ms < m.prices.back().end_ms())
        return R::failure(what + ": " + where + " starts before the previous interval ends");
      m.prices.push_back(p);
    }
    return R::success(std::move(m));
  }
};

}  // namespace hepek::payloads
