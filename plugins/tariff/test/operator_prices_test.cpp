// The operator source: prices signed with EIP-191 personal_sign by the operator key. A good signature is
// accepted; another key, a tampered payload, malformed JSON, stale, future-dated and replayed messages are
// refused with a reason, never a crash.
#include <gtest/gtest.h>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>
#include "hepek/eth/keccak.hpp"
#include "operator_price_book.hpp"
#include "operator_prices.hpp"

using namespace hepek::tariff;
namespace eth = hepek::eth;

namespace {
std::int64_t at(const char* iso) {
  return hepek::timeseries::parse_iso8601(iso)->unix_s;
}

// Fixed test keys (anvil's well-known development accounts 0 and 1).
const eth::PrivateKey& operator_key() {
  static const auto key =
      eth::PrivateKey::from_hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  return key;
}
const eth::PrivateKey& other_key() {
  static const auto key =
      eth::PrivateKey::from_hex("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
  return key;
}

OperatorPriceMessage day_ahead(const char* issued, const char* first_start, int slots,
                               std::int64_t resolution = 3600) {
  OperatorPriceMessage message;
  const auto issued_at = *hepek::timeseries::parse_iso8601(issued);
  message.issued_s = issued_at.unix_s;
  message.issued_offset_minutes = issued_at.offset_minutes;
  message.resolution_s = resolution;
  const auto first = *hepek::timeseries::parse_iso8601(first_start);
  for (int k = 0; k < slots; ++k)
    message.prices.push_back({first.unix_s + k * resolution, first.offset_minutes, (k - 10) * 7'250'000});
  message.sign(operator_key());
  return message;
}

OperatorPriceBook book() {
  return OperatorPriceBook(operator_key().address(), 48 * 3600);
}
}  // namespace

TEST(OperatorPrices, CanonicalTextIsWhatIsSigned) {
  const auto message = day_ahead("2023-08-01T13:00:00+02:00", "2023-08-02T00:00:00+02:00", 2);
  EXPECT_EQ(message.canonical_text(),
            "HEPEK operator prices v1\nissued: 2023-08-01T13:00:00+02:00\nresolution_s: 3600\n"
            "2023-08-02T00:00:00+02:00 -72.5\n2023-08-02T01:00:00+02:00 -65.25\n");
  // EIP-191: keccak256("\x19Ethereum Signed Message:\n" + length + text).
  const std::string text = message.canonical_text();
  EXPECT_EQ(message.digest(), eth::keccak256_text("\x19"
                                                  "Ethereum Signed Message:\n" +
                                                  std::to_string(text.size()) + text));
  EXPECT_EQ(message.verify(operator_key().address()), "");
  // The wallet form (v = 27/28) round-trips through JSON.
  const auto again = OperatorPriceMessage::from_json(message.to_json());
  EXPECT_EQ(again.canonical_text(), text);
  EXPECT_EQ(again.verify(operator_key().address()), "");
}

TEST(OperatorPrices, GoodSignatureIsAccepted) {
  auto prices = book();
  const auto message = day_ahead("2023-08-01T13:00:00+02:00", "2023-08-02T00:00:00+02:00", 24);
  const auto result = prices.offer(message.to_json().dump(), at("2023-08-01T13:05:00+02:00"));
  ASSERT_EQ(result.kind, OfferResult::Kind::accepted) << result.reason;
  EXPECT_EQ(prices.version(), 1u);
  const auto grid = prices.grid(at("2023-08-02T00:00:00+02:00"));
  EXPECT_EQ(grid.size(), 24u);
  EXPECT_EQ(grid.high[0], -72'500'000);
  // The retained message delivered again is ignored, not an error.
  EXPECT_EQ(prices.offer(message.to_json().dump(), at("2023-08-01T13:06:00+02:00")).kind,
            OfferResult::Kind::ignored);
}

TEST(OperatorPrices, AnotherKeyIsRejected) {
  auto prices = book();
  auto message = day_ahead("2023-08-01T13:00:00+02:00", "2023-08-02T00:00:00+02:00", 24);
  message.sign(other_key());
  const auto result = prices.offer(message.to_json().dump(), at("2023-08-01T13:05:00+02:00"));
  EXPECT_EQ(result.kind, OfferResult::Kind::rejected);
  EXPECT_NE(result.reason.find("not by the configured operator " + operator_key().address().checksummed()),
            std::string::npos)
      << result.reason;
  EXPECT_NE(result.reason.find(other_key().address().checksummed()), std::string::npos) << result.reason;
  EXPECT_TRUE(prices.empty());
}

TEST(OperatorPrices, TamperedPayloadIsRejected) {
  const auto message = day_ahead("2023-08-01T13:00:00+02:00", "2023-08-02T00:00:00+02:00", 24);
  const std::int64_t now = at("2023-08-01T13:05:00+02:00");
  auto tampered_price = message.to_json();
  tampered_price["prices"][5][1] = "-500";
  auto tampered_time = message.to_json();
  tampered_time["prices"][0][0] = "2023-08-02T00:00:00+01:00";
  auto tampered_issued = message.to_json();
  tampered_issued["issued"] = "2023-08-01T13:30:00+02:00";
  auto dropped_slot = message.to_json();
  dropped_slot["prices"].erase(3);
  for (const auto& json : {tampered_price, tampered_time, tampered_issued, dropped_slot}) {
    auto prices = book();
    const auto result = prices.offer(json.dump(), now);
    EXPECT_EQ(result.kind, OfferResult::Kind::rejected) << json.dump();
    EXPECT_NE(result.reason.find("not by the configured operator"), std::string::npos) << result.reason;
    EXPECT_TRUE(prices.empty());
  }
  // A high-s twin of a valid signature (malleability) is refused too.
  auto high_s = message;
  const auto& n = eth::curve_order();
  int borrow = 0;
  for (int i = 31; i >= 0; --i) {
    const int difference = n[i] - high_s.signature[32 + i] - borrow;
    high_s.signature[32 + i] = static_cast<std::uint8_t>(difference & 0xff);
    borrow = difference < 0 ? 1 : 0;
  }
  high_s.signature[64] = high_s.signature[64] == 27 ? 28 : 27;
  auto prices = book();
  const auto result = prices.offer(high_s.to_json().dump(), now);
  EXPECT_EQ(result.kind, OfferResult::Kind::rejected);
  EXPECT_NE(result.reason.find("bad signature"), std::string::npos) << result.reason;
}

TEST(OperatorPrices, MalformedMessagesAreRejectedWithReasons) {
  const auto good = day_ahead("2023-08-01T13:00:00+02:00", "2023-08-02T00:00:00+02:00", 4).to_json();
  const std::int64_t now = at("2023-08-01T13:05:00+02:00");
  const auto rejected_for = [&](const std::string& payload, const std::string& expected) {
    auto prices = book();
    const auto result = prices.offer(payload, now);
    EXPECT_EQ(result.kind, OfferResult::Kind::rejected) << payload;
    EXPECT_NE(result.reason.find(expected), std::string::npos) << "reason: " << result.reason;
  };
  rejected_for("{\"issued\": ", "not valid JSON");
  rejected_for("", "not valid JSON");
  rejected_for("[1,2,3]", "not a JSON object");
  auto missing = good;
  missing.erase("signature");
  rejected_for(missing.dump(), "\"signature\" is missing");
  auto bad_time = good;
  bad_time["prices"][1][0] = "2023-08-02 01:00";
  rejected_for(bad_time.dump(), "prices[1][0]");
  auto bad_price = good;
  bad_price["prices"][2][1] = "cheap";
  rejected_for(bad_price.dump(), "prices[2][1]");
  auto bad_entry = good;
  bad_entry["prices"][0] = {{"start", "x"}};
  rejected_for(bad_entry.dump(), "prices[0] must be [start, price]");
  auto empty = good;
  empty["prices"] = nlohmann::json::array();
  rejected_for(empty.dump(), "non-empty array");
  auto resolution = good;
  resolution["resolution_s"] = "hourly";
  rejected_for(resolution.dump(), "resolution_s");
  auto short_signature = good;
  short_signature["signature"] = "0x1234";
  rejected_for(short_signature.dump(), "65");
  auto not_hex = good;
  not_hex["signature"] = "0xzz";
  rejected_for(not_hex.dump(), "signature");
}

TEST(OperatorPrices, StaleFutureAndReplayedMessagesAreRejected) {
  auto prices = book();
  const auto message = day_ahead("2023-08-01T13:00:00+02:00", "2023-08-02T00:00:00+02:00", 24);
  // Issued more than 48 h before now.
  auto result = prices.offer(message.to_json().dump(), at("2023-08-03T14:00:00+02:00"));
  EXPECT_EQ(result.kind, OfferResult::Kind::rejected);
  EXPECT_NE(result.reason.find("stale"), std::string::npos) << result.reason;
  // Issued in the future (beyond the allowed clock skew).
  result = prices.offer(message.to_json().dump(), at("2023-08-01T12:00:00+02:00"));
  EXPECT_EQ(result.kind, OfferResult::Kind::rejected);
  EXPECT_NE(result.reason.find("future"), std::string::npos) << result.reason;
  // Covering only the past.
  const auto old = day_ahead("2023-08-01T13:00:00+02:00", "2023-08-01T00:00:00+02:00", 4);
  result = prices.offer(old.to_json().dump(), at("2023-08-01T13:05:00+02:00"));
  EXPECT_EQ(result.kind, OfferResult::Kind::rejected);
  EXPECT_NE(result.reason.find("only the past"), std::string::npos) << result.reason;
  // Newer accepted, then the older one replayed: refused.
  const auto newer = day_ahead("2023-08-01T13:30:00+02:00", "2023-08-02T00:00:00+02:00", 24);
  ASSERT_EQ(prices.offer(newer.to_json().dump(), at("2023-08-01T13:35:00+02:00")).kind,
            OfferResult::Kind::accepted);
  result = prices.offer(message.to_json().dump(), at("2023-08-01T13:36:00+02:00"));
  EXPECT_EQ(result.kind, OfferResult::Kind::rejected);
  EXPECT_NE(result.reason.find("not newer"), std::string::npos) << result.reason;
  EXPECT_EQ(prices.version(), 1u);
}

TEST(OperatorPrices, DuplicatesGapsAndQuarterHoursInASignedMessage) {
  // Quarter hours with an identical duplicate and a gap: the duplicate is dropped, the gap flagged and
  // filled.
  auto message = day_ahead("2023-08-01T13:00:00+02:00", "2023-08-02T00:00:00+02:00", 8, 900);
  message.prices.push_back(message.prices[3]);
  message.prices.erase(message.prices.begin() + 5);
  message.sign(operator_key());
  auto prices = book();
  const auto result = prices.offer(message.to_json().dump(), at("2023-08-01T13:05:00+02:00"));
  ASSERT_EQ(result.kind, OfferResult::Kind::accepted) << result.reason;
  const auto grid = prices.grid(at("2023-08-02T00:00:00+02:00"));
  EXPECT_EQ(grid.step_s, 900);
  ASSERT_EQ(grid.size(), 8u);
  EXPECT_EQ(grid.gaps(), 1);
  EXPECT_EQ(grid.filled[5], 1);
  EXPECT_EQ(grid.high[5], grid.high[6]);  // prices rise slot by slot: the later neighbour is the higher
  EXPECT_EQ(grid.low[5], grid.low[4]);

  // Conflicting duplicates in a signed message: the operator contradicts itself; refused.
  auto conflicting = day_ahead("2023-08-01T13:10:00+02:00", "2023-08-02T00:00:00+02:00", 4);
  conflicting.prices.push_back({conflicting.prices[1].start_s, 120, 1});
  conflicting.sign(operator_key());
  const auto refused = prices.offer(conflicting.to_json().dump(), at("2023-08-01T13:15:00+02:00"));
  EXPECT_EQ(refused.kind, OfferResult::Kind::rejected);
  EXPECT_NE(refused.reason.find("two different prices"), std::string::npos) << refused.reason;
}

TEST(OperatorPrices, RandomGarbageNeverThrows) {
  std::uint64_t state = 42;  // fixed seed
  const auto good = day_ahead("2023-08-01T13:00:00+02:00", "2023-08-02T00:00:00+02:00", 4).to_json().dump();
  auto prices = book();
  for (int round = 0; round < 2000; ++round) {
    std::string payload = good;
    for (int edits = 0; edits < 3; ++edits) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      payload[(state >> 33) % payload.size()] = static_cast<char>((state >> 20) & 0xff);
    }
    EXPECT_NO_THROW(prices.offer(payload, at("2023-08-01T13:05:00+02:00")));
  }
}
