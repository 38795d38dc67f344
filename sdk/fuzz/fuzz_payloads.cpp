// libFuzzer target: the shared payload readers (sdk/include/hepek/payloads/): PriceMessage (hepek/tariff/prices),
// PlanMessage (hepek/plan), WalletMessage (hepek/wallet) and BatterySetpoint (a battery's /set), each given the
// same bytes as their subscribers get them.
// Invariants besides ASan/UBSan: parse() never throws; what parses survives to_json() and parse() unchanged
// (the round trip is the golden-JSON contract); a price message's intervals are positive, sorted and do not
// overlap, and at() finds each interval's start in it.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "hepek/payloads/battery_setpoint.hpp"
#include "hepek/payloads/plan.hpp"
#include "hepek/payloads/prices.hpp"
#include "hepek/payloads/wallet.hpp"
#include "hepek/testing/fuzz_check.hpp"

namespace hp = hepek::payloads;

namespace {

template <typename Message>
void round_trip(std::string_view payload, const char* what) {
  const auto parsed = Message::parse(payload);
  if (!parsed) {
    HEPEK_FUZZ_CHECK(!parsed.error().empty(), what);
    return;
  }
  const std::string text = parsed->to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const auto again = Message::parse(text);
  HEPEK_FUZZ_CHECK(again.ok(), what);
  HEPEK_FUZZ_CHECK(again->to_json() == nlohmann::json::parse(text), what);
}

void check_prices(std::string_view payload) {
  const auto parsed = hp::PriceMessage::parse(payload);
  if (!parsed) return;
  const hp::PriceInterval* previous = nullptr;
  for (const auto& interval : parsed->prices) {
    HEPEK_FUZZ_CHECK(interval.length_s > 0, "price intervals are positive");
    if (previous) HEPEK_FUZZ_CHECK(previous->end_ms() <= interval.start_ms, "price intervals are sorted");
    HEPEK_FUZZ_CHECK(parsed->at(interval.start_ms) != nullptr, "at() finds every interval");
    previous = &interval;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  round_trip<hp::PriceMessage>(payload, "hepek/tariff/prices round trip");
  round_trip<hp::PlanMessage>(payload, "hepek/plan round trip");
  round_trip<hp::WalletMessage>(payload, "hepek/wallet round trip");
  round_trip<hp::BatterySetpoint>(payload, "battery setpoint round trip");
  check_prices(payload);
  return 0;
}
