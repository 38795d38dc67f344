#include "price_publication.hpp"

#include <hepek/time.hpp>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>

#include "decimal_price.hpp"

namespace hepek::tariff {

payloads::PriceMessage price_message(const PriceGrid& grid, const TariffComposition& composition,
                                     std::int64_t from_s, std::int64_t until_s, const std::string& source,
                                     std::int64_t now_ms) {
  payloads::PriceMessage message;
  message.ts = iso8601_utc(now_ms);
  message.source = source;
  message.resolution_s = grid.step_s;
  message.export_mode = to_string(composition.export_mode);
  message.composition = composition.to_json();
  for (std::size_t k = 0; k < grid.size(); ++k) {
    const std::int64_t start = grid.slot_start(k), end = start + grid.step_s;
    if (end <= from_s || start >= until_s) continue;
    payloads::PriceInterval slot;
    slot.start_ms = start * 1000;
    slot.length_s = grid.step_s;
    slot.spot_ueur_per_mwh = grid.high[k];
    slot.import_ueur_per_mwh = composition.import_price(grid.high[k]);
    slot.export_ueur_per_mwh = composition.export_price(grid.low[k]).value_or(0);
    slot.filled = grid.filled[k] != 0;
    slot.conflicting = grid.conflicting[k] != 0;
    message.gaps_filled += grid.filled[k];
    message.prices.push_back(slot);
  }
  return message;
}

nlohmann::json tariff_state(const payloads::PriceMessage& message, const PriceGrid& grid,
                            std::int64_t now_s) {
  nlohmann::json state{{"import_eur_per_mwh", nullptr}, {"export_eur_per_mwh", nullptr},
                       {"spot_eur_per_mwh", nullptr},   {"known_slots", 0},
                       {"horizon_end", nullptr},        {"gaps_filled", 0},
                       {"source", message.source}};
  int known = 0, gaps = 0;
  const std::int64_t now_ms = now_s * 1000;
  for (const auto& slot : message.prices) {
    if (slot.end_ms() <= now_ms) continue;
    ++known;
    gaps += slot.filled ? 1 : 0;
    const std::int64_t end_s = slot.end_ms() / 1000;
    state["horizon_end"] = timeseries::format_iso8601(end_s, grid.offset_at(end_s));
    if (slot.start_ms <= now_ms) {
      state["import_eur_per_mwh"] = eur_per_mwh_from_micro(slot.import_ueur_per_mwh);
      state["export_eur_per_mwh"] = eur_per_mwh_from_micro(slot.export_ueur_per_mwh);
      state["spot_eur_per_mwh"] =
          eur_per_mwh_from_micro(slot.spot_ueur_per_mwh.value_or(slot.import_ueur_per_mwh));
    }
  }
  state["known_slots"] = known;
  state["gaps_filled"] = gaps;
  return state;
}

}  // namespace hepek::tariff
