// hepek/plan (retained, topic contract version 2): the planner's plan for its horizon, one entry per step, in
// integer units: W (battery + = discharge, grid + = import), SoC in per mille (0-1000), prices in µEUR/MWh
// (as hepek/tariff/prices), solve time in µs.
//
//   {"schema":2,"ts":"...","step_s":900,"solve_us":1234,"fallback":"why"?,
//    "steps":[{"start_ms":..,"length_s":900,"battery_w":-2000,"grid_w":1500,"soc_permille":512,
//              "import_ueur_per_mwh":278300000,"reason":"charge from grid: ..."},...]}
// A fallback step carries only start_ms, length_s, battery_w and reason.
//
// Contract: header-only value type; parse() never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../result.hpp"
#include "json_fields.hpp"

namespace hepek::payloads {

struct PlanStep {
  std::int64_t start_ms = 0;
  std::int64_t length_s = 0;
  std::int64_t battery_w = 0;
  std::optional<std::int64_t> grid_w;
  std::optional<std::int64_t> soc_permille;
  std::optional<std::int64_t> import_ueur_per_mwh;
  std::string reason;

  bool operator==(const PlanStep&) const = default;
};

struct PlanMessage {
  std::string ts;
  std::int64_t step_s = 0;
  std::optional<std::int64_t> solve_us;
  std::optional<std::string> fallback;  // why the self-consumption rule is used, if it is
  std::vector<PlanStep> steps;

  nlohmann::json to_json() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& s : steps) {
      nlohmann::json step{{"start_ms", s.start_ms}, {"length_s", s.length_s}, {"battery_w", s.battery_w}};
      if (s.grid_w) step["grid_w"] = *s.grid_w;
      if (s.soc_permille) step["soc_permille"] = *s.soc_permille;
      if (s.import_ueur_per_mwh) step["import_ueur_per_mwh"] = *s.import_ueur_per_mwh;
      step["reason"] = s.reason;
      list.push_back(std::move(step));
    }
    nlohmann::json j{{"schema", 2}, {"ts", ts}, {"step_s", step_s}};
    if (solve_us) j["solve_us"] = *solve_us;
    if (fallback) j["fallback"] = *fallback;
    j["steps"] = std::move(list);
    return j;
  }

  static Result<PlanMessage> parse(const nlohmann::json& json) {
    using R = Result<PlanMessage>;
    const std::string what = "hepek/plan";
    if (!json.is_object()) return R::failure(what + " is not a JSON object");
    PlanMessage m;
    fields::Reader top(json, "");
    m.ts = top.optional_string("ts");
    m.step_s = top.integer("step_s");
    m.solve_us = top.optional_integer("solve_us");
    if (!top.ok()) return R::failure(what + ": " + top.error());
    if (json.contains("fallback")) {
      if (!json["fallback"].is_string()) return R::failure(what + ": fallback is not a string");
      m.fallback = json["fallback"].get<std::string>();
    }
    const auto list = json.find("steps");
    if (list == json.end() || !list->is_array()) return R::failure(what + ": steps is not an array");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string where = "steps[" + std::to_string(i) + "]";
      const auto& item = (*list)[i];
      if (!item.is_object()) return R::failure(what + ": " + where + " is not an object");
      fields::Reader r(item, where);
      const auto start = r.integer("start_ms");
      const auto length = r.integer("length_s");
      const auto battery = r.integer("battery_w");
      const auto grid = r.optional_integer("grid_w");
      const auto soc = r.optional_integer("soc_permille");
      const auto price = r.optional_integer("import_ueur_per_mwh");
      const auto reason = r.optional_string("reason");
      if (!r.ok()) return R::failure(what + ": " + r.error());
      if (soc && (*soc < 0 || *soc > 1000))
        return R::failure(what + ": " + where + ".soc_permille " + std::to_string(*soc) +
                          " is outside 0-1000");
      m.steps.push_back({start, length, battery, grid, soc, price, reason});
    }
    return R::success(std::move(m));
  }

  // Text overloads (a std::string would otherwise convert to both string_view and json).
  static Result<PlanMessage> parse(const std::string& text) { return parse(std::string_view(text)); }
  static Result<PlanMessage> parse(const char* text) { return parse(std::string_view(text)); }
  static Result<PlanMessage> parse(std::string_view text) {
    auto json = fields::object_from_text(text, "hepek/plan");
    if (!json) return Result<PlanMessage>::failure(json.error());
    return parse(*json);
  }
};

}  // namespace hepek::payloads
