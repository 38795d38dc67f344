// What the operator has told us about prices: verified broadcasts merged into one book.
//
// Contract: offer() takes the raw payload of serenity/broadcast/prices and the hub's time, and either accepts
// it (its slots replace the book's slots at the same times; a different resolution replaces the whole book)
// or refuses it with a reason naming what is wrong: not JSON, malformed (from_json), a bad signature or
// another signer, issued more than max_age in the past or more than clock_skew in the future, older than (or
// as old as, but different from) the last accepted message, conflicting duplicates, or covering only the
// past. The same message again (a retained re-delivery) is ignored. grid() gives the book's slots from
// `from_s` on, gaps flagged and filled. Never throws on bad input. Not thread-safe (the hub's event thread).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "hepek/eth/address.hpp"
#include "operator_prices.hpp"
#include "price_grid.hpp"

namespace hepek::tariff {

struct OfferResult {
  enum class Kind { accepted, ignored, rejected } kind = Kind::rejected;
  std::string reason;  // rejected: why; accepted: a summary
};

class OperatorPriceBook {
 public:
  OperatorPriceBook(eth::Address operator_address, std::int64_t max_age_s, std::int64_t clock_skew_s = 300)
      : operator_(operator_address), max_age_s_(max_age_s), clock_skew_s_(clock_skew_s) {}

  OfferResult offer(std::string_view payload, std::int64_t now_s);
  PriceGrid grid(std::int64_t from_s) const;
  std::uint64_t version() const { return version_; }  // +1 per accepted message
  std::int64_t resolution_s() const { return resolution_s_; }
  bool empty() const { return slots_.empty(); }

 private:
  eth::Address operator_;
  std::int64_t max_age_s_;
  std::int64_t clock_skew_s_;
  std::int64_t resolution_s_ = 0;
  std::int64_t last_issued_s_ = INT64_MIN;
  std::string last_signature_;
  std::map<std::int64_t, SpotPoint> slots_;
  std::uint64_t version_ = 0;
};

}  // namespace hepek::tariff
