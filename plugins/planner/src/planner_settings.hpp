// The live planner's settings from its config table and the hub's settings ([hub]: timezone, latitude,
// longitude, step_s), so the home's clock, location and step are written once.
//
// Contract: step_s, latitude and longitude are the planner table's when it sets them, otherwise [hub]'s; the
// forecaster's day types and times of day follow [hub] timezone with its DST rules ("" = UTC). Throws
// std::invalid_argument naming the bad key (or an unknown zone). Pure, thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "live_planner.hpp"

namespace hepek::planner {

// `config`: the planner's table with the schema's defaults filled in; `hub`: Host::hub_settings().
LivePlannerSettings live_planner_settings(const nlohmann::json& config, const nlohmann::json& hub);

}  // namespace hepek::planner
