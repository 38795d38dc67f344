#include "price_publication.hpp"

#include <algorithm>

#include <hepek/time.hpp>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>

namespace hepek::tariff {

nlohmann::json price_message(const PriceGrid& grid, const TariffComposition& composition, std::int64_t from_s,
                             std::int64_t until_s, const std::string& source, std::int64_t now_ms) {
  nlohmann::json list = nlohmann::json::array();
  int gaps = 0;
  std::int64_t known_until = from_s;
  for (std::size_t k = 0; k < grid.size(); ++k) {
    const std::int64_t start = grid.slot_start(k), end = start + grid.step_s;
    if (end <= from_s || start >= until_s) continue;
    const int offset = grid.offset_minutes[k];
    const int end_offset = grid.offset_at(end);
    nlohmann::json slot{
        {"start", timeseries::format_iso8601(start, offset)},
        {"end", timeseries::format_iso8601(end, end_offset)},
        {"price_eur_per_mwh", eur_per_mwh_from_micro(grid.high[k])},
        {"import_eur_per_mwh", eur_per_mwh_from_micro(composition.import_price(grid.high[k]))},
        {"export_eur_per_mwh", eur_per_mwh_from_micro(composition.export_price(grid.low[k]).value_or(0))},
        {"filled", grid.filled[k] != 0}};
    if (grid.conflicting[k]) slot["conflicting"] = true;
    gaps += grid.filled[k];
    known_until = end;
    list.push_back(std::move(slot));
  }
  return {{"ts", iso8601_utc(now_ms)},
          {"source", source},
          {"currency", "EUR"},
          {"unit", "EUR/MWh"},
          {"resolution_s", grid.step_s},
          {"known_until", timeseries::format_iso8601(known_until, grid.offset_at(known_until - 1))},
          {"gaps_filled", gaps},
          {"export", to_string(composition.export_mode)},
          {"composition", composition.to_json()},
          {"prices", std::move(list)}};
}

nlohmann::json tariff_state(const nlohmann::json& message, std::int64_t now_s) {
  nlohmann::json state{{"import_eur_per_mwh", nullptr},
                       {"export_eur_per_mwh", nullptr},
                       {"spot_eur_per_mwh", nullptr},
                       {"known_slots", 0},
                       {"horizon_end", nullptr},
                       {"gaps_filled", 0},
                       {"source", message.value("source", "")}};
  int known = 0, gaps = 0;
  for (const auto& slot : message.at("prices")) {
    const auto start = timeseries::parse_iso8601(slot.at("start").get<std::string>());
    const auto end = timeseries::parse_iso8601(slot.at("end").get<std::string>());
    if (!start || !end || end->unix_s <= now_s) continue;
    ++known;
    gaps += slot.at("filled").get<bool>() ? 1 : 0;
    state["horizon_end"] = slot.at("end");
    if (start->unix_s <= now_s) {
      state["import_eur_per_mwh"] = slot.at("import_eur_per_mwh");
      state["export_eur_per_mwh"] = slot.at("export_eur_per_mwh");
      state["spot_eur_per_mwh"] = slot.at("price_eur_per_mwh");
    }
  }
  state["known_slots"] = known;
  state["gaps_filled"] = gaps;
  return state;
}

}  // namespace hepek::tariff
