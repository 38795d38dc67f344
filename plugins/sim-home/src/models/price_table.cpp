#include "price_table.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <hepek/payloads/prices.hpp>

namespace hepek::sim {
PriceTable::PriceTable(std::vector<Interval> intervals) : intervals_(std::move(intervals)) {
  std::sort(intervals_.begin(), intervals_.end(),
            [](const Interval& a, const Interval& b) { return a.start_ms < b.start_ms; });
}

const PriceTable::Interval* PriceTable::find(std::int64_t unix_ms) const {
  auto it = std::upper_bound(intervals_.begin(), intervals_.end(), unix_ms,
                             [](std::int64_t t, const Interval& interval) { return t < interval.start_ms; });
  if (it == intervals_.begin()) return nullptr;
  --it;
  return unix_ms < it->end_ms ? &*it : nullptr;
}

std::optional<std::int64_t> PriceTable::import_at(std::int64_t unix_ms, std::int64_t surcharge) const {
  const Interval* interval = find(unix_ms);
  if (!interval) return std::nullopt;
  if (interval->import) return interval->import;
  if (interval->spot) return *interval->spot + surcharge;
  return std::nullopt;
}

std::optional<std::int64_t> PriceTable::export_at(std::int64_t unix_ms, std::int64_t surcharge) const {
  const Interval* interval = find(unix_ms);
  if (!interval) return std::nullopt;
  if (interval->export_) return interval->export_;
  if (interval->spot) return *interval->spot + surcharge;
  return std::nullopt;
}

std::int64_t micro_eur_per_kwh(double eur_per_kwh) {
  if (!std::isfinite(eur_per_kwh)) throw std::invalid_argument("a price must be a finite number");
  return std::llround(eur_per_kwh * 1e6);
}

std::int64_t micro_eur_per_mwh_from_eur_per_kwh(double eur_per_kwh) {
  if (!std::isfinite(eur_per_kwh)) throw std::invalid_argument("a price must be a finite number");
  return std::llround(eur_per_kwh * 1e9);
}

std::int64_t micro_eur_per_kwh_from_micro_per_mwh(std::int64_t micro_eur_per_mwh) {
  return micro_eur_per_mwh >= 0 ? (micro_eur_per_mwh + 500) / 1000 : -((-micro_eur_per_mwh + 500) / 1000);
}

PriceTable parse_price_table(const nlohmann::json& signal) {
  const auto message = payloads::PriceMessage::parse(signal);
  if (!message) throw std::invalid_argument(message.error());
  std::vector<PriceTable::Interval> intervals;
  for (const auto& p : message->prices)
    intervals.push_back(
        {p.start_ms, p.end_ms(), p.spot_ueur_per_mwh, p.import_ueur_per_mwh, p.export_ueur_per_mwh});
  return PriceTable(std::move(intervals));
}

}  // namespace hepek::sim
