// Energy prices from the hepek/tariff/prices signal, as integer µEUR/kWh per interval.
//
// Contract: parse_price_table accepts {"prices":[{"time"|"start": ISO 8601 or Unix ms, optional "end", a spot
// price "price_eur_per_mwh" (or "eur_per_mwh") and/or all-in "import_eur_per_mwh" /
// "export_eur_per_mwh"}...], optional "resolution_s"} — the shape the planner reads too. An entry lasts until
// its "end", else until the next entry's start, else for resolution_s (default: the spacing of the last two
// entries, or one hour). Throws std::invalid_argument naming the entry on bad input. 1 EUR/MWh = 1000
// µEUR/kWh. import_at/export_at(t, surcharge) give the entry's all-in price where it has one, else spot +
// surcharge; nullopt when nothing covers t.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

namespace hepek::sim {

class PriceTable {
 public:
  struct Interval {
    std::int64_t start_ms = 0;
    std::int64_t end_ms = 0;
    std::optional<std::int64_t> spot;    // µEUR/kWh
    std::optional<std::int64_t> import;  // all-in, µEUR/kWh
    std::optional<std::int64_t> export_;
  };
  explicit PriceTable(std::vector<Interval> intervals = {});
  std::optional<std::int64_t> import_at(std::int64_t unix_ms, std::int64_t surcharge) const;
  std::optional<std::int64_t> export_at(std::int64_t unix_ms, std::int64_t surcharge) const;
  bool empty() const { return intervals_.empty(); }
  std::size_t size() const { return intervals_.size(); }

 private:
  const Interval* find(std::int64_t unix_ms) const;
  std::vector<Interval> intervals_;  // sorted by start
};

PriceTable parse_price_table(const nlohmann::json& signal);

// EUR/kWh (config) → integer µEUR/kWh, rounded.
std::int64_t micro_eur_per_kwh(double eur_per_kwh);

}  // namespace hepek::sim
