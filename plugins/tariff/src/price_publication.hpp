// The hepek/tariff/prices message and the tariff device's state.
//
// hepek/tariff/prices (retained), the shape planner (live_planner.hpp parse_price_message) and sim-home
// (price_table.hpp) read:
//   {"ts": "2023-08-01T11:00:00.000Z", "source": "csv"|"operator", "currency": "EUR", "unit": "EUR/MWh",
//    "resolution_s": 3600, "known_until": ISO, "gaps_filled": n, "composition":
//    {...tariff_composition.hpp...}, "export": "spot"|"fixed"|"none", "prices": [{"start": ISO (the slot's
//    own offset), "end": ISO, "price_eur_per_mwh": spot,
//                "import_eur_per_mwh": all-in import, "export_eur_per_mwh": export (0 when export is "none"),
//                "filled": bool (a gap, filled conservatively), "conflicting"?: true}, ...]}
// A filled or conflicting slot's spot is its import-side (higher) value. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "price_grid.hpp"
#include "tariff_composition.hpp"

namespace hepek::tariff {

// Slots of `grid` that overlap [from_s, until_s).
nlohmann::json price_message(const PriceGrid& grid, const TariffComposition& composition, std::int64_t from_s,
                             std::int64_t until_s, const std::string& source, std::int64_t now_ms);

// The tariff device's state at now: current prices (null when no slot covers now), known slots from now on
// and the end of what is known, gaps filled among them.
nlohmann::json tariff_state(const nlohmann::json& message, std::int64_t now_s);

}  // namespace hepek::tariff
