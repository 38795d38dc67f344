// libFuzzer target: the operator's signed price broadcast on serenity/broadcast/prices (operator_prices.hpp), as
// the tariff takes it (OperatorPriceBook::offer), and the message type's own round trips.
// Invariants besides ASan/UBSan:
//  - offer() never throws, and a rejection says why;
//  - a message that reads (from_json) reads back unchanged from its JSON form (to_json): same canonical text, same
//    signature, same verdict;
//  - the same message signed with the operator key verifies, still verifies after to_json, dump() and from_json,
//    and is never refused by a fresh book for its signature; any change to a price makes it fail to verify.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "hepek/json_limits.hpp"
#include "hepek/testing/fuzz_check.hpp"
#include "operator_price_book.hpp"
#include "operator_prices.hpp"

namespace ht = hepek::tariff;
namespace he = hepek::eth;

namespace {

const he::PrivateKey& operator_key() {  // anvil's development account 0, as in test/operator_prices_test.cpp
  static const auto key =
      he::PrivateKey::from_hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  return key;
}

constexpr std::int64_t kNow = 1690891200;  // 2023-08-01T12:00:00Z

void check_offer(std::string_view payload, std::int64_t now) {
  ht::OperatorPriceBook book(operator_key().address(), 48 * 3600);
  const ht::OfferResult result = book.offer(payload, now);
  if (result.kind == ht::OfferResult::Kind::rejected)
    HEPEK_FUZZ_CHECK(!result.reason.empty(), "a rejected price message says why");
  if (result.kind == ht::OfferResult::Kind::accepted) {
    HEPEK_FUZZ_CHECK(!book.empty() && book.version() == 1, "an accepted message fills the book");
    HEPEK_FUZZ_CHECK(book.offer(payload, now).kind == ht::OfferResult::Kind::ignored, "a replay is ignored");
    (void)book.grid(now);
  }
}

ht::OperatorPriceMessage read_back(const ht::OperatorPriceMessage& message) {
  return ht::OperatorPriceMessage::from_json(nlohmann::json::parse(message.to_json().dump()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  check_offer(payload, kNow);
  if (!hepek::json_limits::check(payload)) return 0;  // the hub drops these before the tariff sees them
  const auto json = nlohmann::json::parse(payload, nullptr, false);
  ht::OperatorPriceMessage message;
  try {
    message = ht::OperatorPriceMessage::from_json(json);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const he::Address expected = operator_key().address();
  const auto again = read_back(message);
  HEPEK_FUZZ_CHECK(again.canonical_text() == message.canonical_text() && again.signature == message.signature,
                   "a price message survives its JSON form");
  HEPEK_FUZZ_CHECK(again.verify(expected).empty() == message.verify(expected).empty(),
                   "the verdict survives");

  message.sign(operator_key());
  HEPEK_FUZZ_CHECK(message.verify(expected).empty(), "a signed price message verifies");
  HEPEK_FUZZ_CHECK(read_back(message).verify(expected).empty(), "it still verifies after a round trip");
  const ht::OfferResult fresh = [&] {
    ht::OperatorPriceBook book(expected, 48 * 3600);
    return book.offer(message.to_json().dump(), message.issued_s);
  }();
  HEPEK_FUZZ_CHECK(fresh.kind == ht::OfferResult::Kind::accepted ||
                       fresh.reason.find("signature") == std::string::npos &&
                           fresh.reason.find("signed by") == std::string::npos,
                   "a book never refuses a good signature");
  message.prices.front().price += 1;
  HEPEK_FUZZ_CHECK(!message.verify(expected).empty(), "a changed price does not verify");
  return 0;
}
