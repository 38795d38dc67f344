#include "operator_price_book.hpp"

#include <fmt/format.h>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>

namespace hepek::tariff {

OfferResult OperatorPriceBook::offer(std::string_view payload, std::int64_t now_s) {
  using Kind = OfferResult::Kind;
  const auto json = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return {Kind::rejected, "operator prices: the message is not valid JSON"};
  try {
    const OperatorPriceMessage message = OperatorPriceMessage::from_json(json);
    const std::string signature = eth::to_hex(message.signature);
    if (message.issued_s == last_issued_s_ && signature == last_signature_)
      return {Kind::ignored, "already accepted"};
    if (const std::string problem = message.verify(operator_); !problem.empty())
      return {Kind::rejected, "operator prices: " + problem};
    const std::string issued = timeseries::format_iso8601(message.issued_s, message.issued_offset_minutes);
    if (message.issued_s < now_s - max_age_s_)
      return {Kind::rejected, fmt::format("operator prices: stale, issued {} is more than {} h ago", issued,
                                          max_age_s_ / 3600)};
    if (message.issued_s > now_s + clock_skew_s_)
      return {Kind::rejected, fmt::format("operator prices: issued {} lies in the future", issued)};
    if (message.issued_s <= last_issued_s_)
      return {Kind::rejected,
              fmt::format("operator prices: issued {} is not newer than the prices already accepted "
                          "(issued {})",
                          issued, timeseries::format_iso8601(last_issued_s_, 0))};
    const auto points = message.normalised_points();
    if (points.back().start_s + message.resolution_s <= now_s)
      return {Kind::rejected, fmt::format("operator prices: issued {} covers only the past", issued)};

    // A book is one grid: another resolution or alignment starts a new book.
    if (message.resolution_s != resolution_s_ ||
        (!slots_.empty() && (points.front().start_s - slots_.begin()->first) % message.resolution_s != 0))
      slots_.clear();
    resolution_s_ = message.resolution_s;
    for (const auto& point : points) slots_[point.start_s] = point;
    // Forget what ended more than a day ago: the book stays small on a hub that runs for years.
    slots_.erase(slots_.begin(), slots_.lower_bound(now_s - 86400));
    last_issued_s_ = message.issued_s;
    last_signature_ = signature;
    ++version_;
    return {Kind::accepted,
            fmt::format("operator prices issued {}: {} slots of {} s from {}", issued, points.size(),
                        resolution_s_,
                        timeseries::format_iso8601(points.front().start_s, points.front().offset_minutes))};
  } catch (const std::exception& error) {
    return {Kind::rejected, error.what()};
  }
}

PriceGrid OperatorPriceBook::grid(std::int64_t from_s) const {
  std::vector<SpotPoint> points;
  // Include the slot containing from_s.
  for (auto it = slots_.lower_bound(from_s - resolution_s_ + 1); it != slots_.end(); ++it)
    points.push_back(it->second);
  if (points.empty()) return PriceGrid{0, resolution_s_ > 0 ? resolution_s_ : 3600, {}, {}, {}, {}, {}};
  return grid_from_points(points, resolution_s_);
}

}  // namespace hepek::tariff
