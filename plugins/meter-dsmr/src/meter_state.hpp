// Turns a parsed telegram into the meter's device state (the JSON published on hepek/<device>/state) and
// describes those fields as entities (hepek/<device>/config).
//
// Fields (only those the telegram carries): energy counters in Wh as integers, computed exactly from the kWh
// text (energy_import_tariff1/2, energy_import = 1-0:1.8.0 or the tariffs' sum, and the same for export);
// power W as integers (power_import 1-0:1.7.0, power_export 1-0:2.7.0, power = import - export: + is import);
// per phase voltage_lN (V), current_lN (A), power_import_lN / power_export_lN / power_lN (W); tariff (text);
// gas (m³) and gas_ts, water (m³) and water_ts, chosen by the M-Bus device type (3 gas, 7 water; a channel
// without a type with an m3 reading counts as gas); Belgian capacity tariff: demand_average (1-0:1.4.0, W),
// demand_peak_month (1-0:1.6.0, W) with demand_peak_month_ts; power_failures, power_failures_long; meter_ts,
// equipment_id, dsmr_version. The plugin adds telegrams_accepted and telegrams_rejected. Pure functions.
#pragma once

#include <vector>

#include <hepek/entity.hpp>
#include <nlohmann/json.hpp>

#include "telegram.hpp"

namespace hepek::dsmr {

nlohmann::json meter_state(const Telegram& telegram);

// Entity metadata for every field of `state` this module knows (unknown keys, such as "ts", are left out).
std::vector<hepek::Entity> meter_entities(const nlohmann::json& state);

// The meter's device (hepek/<device>/config) for the fields of `state` and the telegram header ("/ISK5..."):
// the P1 port is the meter at the grid connection, so it implements the grid_meter interface with role "grid"
// (what billing uses) once the fields carry what that interface requires (power and energy_import, which are
// the canonical names already).
hepek::Device meter_device(const std::string& name, const nlohmann::json& state, const std::string& header);

}  // namespace hepek::dsmr
