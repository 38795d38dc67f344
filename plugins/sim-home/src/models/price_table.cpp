#include "price_table.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "energy.hpp"
#include "time_util.hpp"

namespace hepek::sim {
namespace {

std::int64_t time_of(const nlohmann::json& value, std::size_t index, const char* key) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_string()) return parse_iso8601_ms(value.get<std::string>());
  throw std::invalid_argument("prices[" + std::to_string(index) + "]." + key +
                              " must be an ISO 8601 time or Unix milliseconds");
}

}  // namespace

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

PriceTable parse_price_table(const nlohmann::json& signal) {
  if (!signal.is_object() || !signal.contains("prices") || !signal["prices"].is_array())
    throw std::invalid_argument("tariff prices: expected an object with a \"prices\" array");
  const auto& prices = signal["prices"];
  std::vector<PriceTable::Interval> intervals;
  std::vector<bool> has_end;
  for (std::size_t i = 0; i < prices.size(); ++i) {
    const auto& entry = prices[i];
    const std::string where = "prices[" + std::to_string(i) + "]";
    if (!entry.is_object()) throw std::invalid_argument(where + " must be an object");
    const char* time_key = entry.contains("start") ? "start" : "time";
    if (!entry.contains(time_key)) throw std::invalid_argument(where + " has no start time");
    auto price = [&](std::initializer_list<const char*> keys) -> std::optional<std::int64_t> {
      for (const char* key : keys) {
        if (!entry.contains(key)) continue;
        if (!entry[key].is_number()) throw std::invalid_argument(where + "." + key + " must be a number");
        return std::llround(entry[key].get<double>() * 1000.0);  // EUR/MWh → µEUR/kWh
      }
      return std::nullopt;
    };
    PriceTable::Interval interval;
    interval.start_ms = time_of(entry[time_key], i, time_key);
    interval.spot = price({"price_eur_per_mwh", "eur_per_mwh"});
    interval.import = price({"import_eur_per_mwh"});
    interval.export_ = price({"export_eur_per_mwh"});
    if (!interval.spot && !interval.import)
      throw std::invalid_argument(where + " needs price_eur_per_mwh or import_eur_per_mwh");
    if (entry.contains("end")) interval.end_ms = time_of(entry["end"], i, "end");
    has_end.push_back(entry.contains("end"));
    intervals.push_back(interval);
  }
  std::vector<std::size_t> order(intervals.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return intervals[a].start_ms < intervals[b].start_ms; });
  std::vector<PriceTable::Interval> sorted;
  std::vector<bool> sorted_has_end;
  for (std::size_t i : order) {
    sorted.push_back(intervals[i]);
    sorted_has_end.push_back(has_end[i]);
  }
  std::int64_t resolution_ms = kMillisPerHour;
  if (signal.contains("resolution_s") && signal["resolution_s"].is_number())
    resolution_ms = std::llround(signal["resolution_s"].get<double>() * 1000);
  else if (sorted.size() >= 2)
    resolution_ms = sorted.back().start_ms - sorted[sorted.size() - 2].start_ms;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (sorted_has_end[i]) {
      if (sorted[i].end_ms <= sorted[i].start_ms)
        throw std::invalid_argument("prices: an entry ends before it starts");
      continue;
    }
    sorted[i].end_ms = i + 1 < sorted.size() ? sorted[i + 1].start_ms : sorted[i].start_ms + resolution_ms;
  }
  return PriceTable(std::move(sorted));
}

}  // namespace hepek::sim
