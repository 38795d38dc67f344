// Energy prices from the hepek/tariff/prices signal (hepek::payloads::PriceMessage, the SDK's one parser),
// per interval in the contract's one unit, integer µEUR/MWh.
//
// Contract: parse_price_table() throws std::invalid_argument with the parser's message (naming the field) on
// a bad signal. import_at/export_at(t, surcharge) give the interval's all-in price where it has one, else
// spot + surcharge; nullopt when nothing covers t. Intervals built by hand (tests) may carry spot only. Pure.
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
    std::optional<std::int64_t> spot;    // µEUR/MWh
    std::optional<std::int64_t> import;  // all-in, µEUR/MWh
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

// EUR/kWh (config) → integer µEUR/kWh (the grid model's cost unit), rounded.
std::int64_t micro_eur_per_kwh(double eur_per_kwh);

// EUR/kWh (config) → integer µEUR/MWh (the contract's price unit), rounded.
std::int64_t micro_eur_per_mwh_from_eur_per_kwh(double eur_per_kwh);

// µEUR/MWh → µEUR/kWh, rounded half away from zero (what the grid model bills in).
std::int64_t micro_eur_per_kwh_from_micro_per_mwh(std::int64_t micro_eur_per_mwh);

}  // namespace hepek::sim
