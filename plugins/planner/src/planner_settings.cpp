#include "planner_settings.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace hepek::planner {
namespace {

// A key the hub also has: the planner's own value when its table sets it, otherwise [hub]'s.
const nlohmann::json& own_or_hub(const nlohmann::json& config, const nlohmann::json& hub, const char* key) {
  if (config.contains(key)) return config.at(key);
  if (!hub.contains(key))
    throw std::invalid_argument(std::string("planner: no ") + key + " in its table or [hub]");
  return hub.at(key);
}

}  // namespace

LivePlannerSettings live_planner_settings(const nlohmann::json& c, const nlohmann::json& hub) {
  LivePlannerSettings s;
  s.capacity_wh = c.at("capacity_wh").get<double>();
  if (s.capacity_wh <= 0) throw std::invalid_argument("planner: capacity_wh must be positive");
  s.battery.soc_min_wh = s.capacity_wh * c.at("soc_min_pct").get<double>() / 100;
  s.battery.soc_max_wh = s.capacity_wh * c.at("soc_max_pct").get<double>() / 100;
  if (!(s.battery.soc_min_wh >= 0 && s.battery.soc_min_wh < s.battery.soc_max_wh &&
        s.battery.soc_max_wh <= s.capacity_wh))
    throw std::invalid_argument("planner: need 0 <= soc_min_pct < soc_max_pct <= 100");
  s.battery.charge_max_w = c.at("max_charge_w").get<double>();
  s.battery.discharge_max_w = c.at("max_discharge_w").get<double>();
  s.battery.charge_efficiency = c.at("charge_efficiency").get<double>();
  s.battery.discharge_efficiency = c.at("discharge_efficiency").get<double>();
  s.battery.wear_eur_per_mwh = c.at("wear_eur_per_mwh").get<double>();
  for (double e : {s.battery.charge_efficiency, s.battery.discharge_efficiency})
    if (!(e > 0 && e <= 1)) throw std::invalid_argument("planner: efficiencies must lie in (0, 1]");
  const double import_max = c.at("grid_import_max_w").get<double>();
  if (import_max > 0) s.grid.import_max_w = import_max;
  const double fuse = c.at("main_fuse_a").get<double>();
  if (fuse > 0)
    s.grid.import_max_w =
        std::min(s.grid.import_max_w, GridLimits::fuse_limit_w(fuse, c.at("phases").get<int>()));
  const double export_max = c.at("grid_export_max_w").get<double>();
  if (export_max >= 0) s.grid.export_max_w = export_max;
  s.grid.allow_curtailment = c.at("allow_curtailment").get<bool>();
  s.surcharges.import_eur_per_mwh = c.at("import_surcharge_eur_per_mwh").get<double>();
  s.surcharges.export_eur_per_mwh = c.at("export_surcharge_eur_per_mwh").get<double>();
  s.step_s = own_or_hub(c, hub, "step_s").get<int64_t>();
  if (s.step_s < 60 || 86400 % s.step_s != 0)
    throw std::invalid_argument("planner: step_s must divide a day, >= 60");
  s.horizon_hours = c.at("horizon_h").get<double>();
  s.stale_after_s = c.at("stale_after_s").get<int64_t>();
  const std::string model = c.at("pv_model").get<std::string>();
  if (model != "profile" && model != "clearsky")
    throw std::invalid_argument("planner: pv_model is 'profile' or 'clearsky', got '" + model + "'");
  s.forecast.pv_model = model == "clearsky" ? PvModel::clear_sky : PvModel::profile;
  s.forecast.latitude_deg = own_or_hub(c, hub, "latitude").get<double>();
  s.forecast.longitude_deg = own_or_hub(c, hub, "longitude").get<double>();
  // Day types and times of day follow the home's clock, DST included.
  s.timezone = hub.value("timezone", std::string("UTC"));
  if (s.timezone.empty()) s.timezone = "UTC";
  s.forecast.offset_minutes = offsets_in_zone(s.timezone);
  return s;
}

}  // namespace hepek::planner
