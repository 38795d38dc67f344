// The hepek/tariff/prices message (hepek::payloads::PriceMessage, sdk/include/hepek/payloads/prices.hpp: the
// one type the planner and sim-grid read too, prices in integer µEUR/MWh) and the tariff device's state.
//
// Per slot: the spot price, the all-in import price (composition applied) and the export price (0 when export
// is "none"); a filled or conflicting slot's spot is its import-side (higher) value. The message also carries
// the composition and export mode for readers that show them. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include <hepek/payloads/prices.hpp>
#include <nlohmann/json.hpp>

#include "price_grid.hpp"
#include "tariff_composition.hpp"

namespace hepek::tariff {

// Slots of `grid` that overlap [from_s, until_s).
payloads::PriceMessage price_message(const PriceGrid& grid, const TariffComposition& composition,
                                     std::int64_t from_s, std::int64_t until_s, const std::string& source,
                                     std::int64_t now_ms);

// The tariff device's state at now (shown in EUR/MWh, the unit its entities announce): current prices (null
// when no slot covers now), known slots from now on and the end of what is known (ISO 8601 in the grid's own
// offset), gaps filled among them.
nlohmann::json tariff_state(const payloads::PriceMessage& message, const PriceGrid& grid, std::int64_t now_s);

}  // namespace hepek::tariff
