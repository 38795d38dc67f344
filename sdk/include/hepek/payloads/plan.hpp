// hepek/plan (retained, topic contract version 2): the planner's plan for its horizon, one entry per step, in
// integer units: W (battery + = discharge, grid + = import), SoC in per mille (0-1000), prices in µEUR/MWh
// (as hepek/tariff/prices), solve time in µs.
//
//   {"schema":2,"ts":"...","step_s":900,"solve_us":1234,"fallback":"why"?,
//    "steps":[{"start_ms":..,"length_s":900,"battery_w":-2000,"grid_w":1500,"soc_permille":512,
//              "import_ueur_per_mwh":278300000,"reason":"charge from grid: ..."},...]}
// A fallback step carries only start_ms, length_s, battery_w and reason.
// "loads" (optional) schedules the flexible loads: for each device id, the windows [start_ms, end_ms) in which it
// should run, in time order and not overlapping, e.g. "loads":{"dishwasher":[{"start_ms":..,"end_ms":..}]}. A
// load with no entry has no plan (it falls back to its own latest start); an empty list means "do not run yet".
//
// Contract: header-only value type; parse() never throws.
#pragma once

#include <cstdint>
#include <map>
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

// One window in which a flexible load should run.
struct RunWindow {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;

  bool operator==(const RunWindow&) const = default;
};

struct PlanMessage {
  std::string ts;
  std::int64_t step_s = 0;
  std::optional<std::int64_t> solve_us;
  std::optional<std::string> fallback;  // why the self-consumption rule is used, if it is
  std::vector<PlanStep> steps;
  std::map<std::string, std::vector<RunWindow>> loads;  // flexible-load device id → its run windows

  // The windows planned for `device`, or nullptr when the plan has none for it.
  const std::vector<RunWindow>* windows_for(const std::string& device) const {
    const auto found = loads.find(device);
    return found == loads.end() ? nullptr : &found->second;
  }

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
    if (!loads.empty()) {
      nlohmann::json by_device = nlohmann::json::object();
      for (const auto& [device, windows] : loads) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& w : windows) items.push_back({{"start_ms", w.start_ms}, {"end_ms", w.end_ms}});
        by_device[device] = std::move(items);
      }
      j["loads"] = std::move(by_device);
    }
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
    if (const auto loads = json.find("loads"); loads != json.end()) {
      if (!loads->is_object()) return R::failure(what + ": loads is not an object");
      for (const auto& [device, items] : loads->items()) {
        const std::string where = "loads." + device;
        if (!items.is_array()) return R::failure(what + ": " + where + " is not an array");
        std::vector<RunWindow> windows;
        for (std::size_t i = 0; i < items.size(); ++i) {
          const std::string at = where + "[" + std::to_string(i) + "]";
          if (!items[i].is_object()) return R::failure(what + ": " + at + " is not an object");
          fields::Reader r(items[i], at);
          const RunWindow window{r.integer("start_ms"), r.integer("end_ms")};
          if (!r.ok()) return R::failure(what + ": " + r.error());
          if (window.end_ms <= window.start_ms)
            return R::failure(what + ": " + at + " ends before it starts");
          if (!windows.empty() && window.start_ms < windows.back().end_ms)
            return R::failure(what + ": " + at + " overlaps or precedes the window before it");
          windows.push_back(window);
        }
        m.loads.emplace(device, std::move(windows));
      }
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
