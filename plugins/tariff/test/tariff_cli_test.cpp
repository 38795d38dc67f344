// `hepek tariff sign` / `verify`: one delivery day of a CSV (DST-correct) signed as an operator broadcast,
// accepted by the operator book, and checked by verify; wrong signer and bad arguments named.
#include <gtest/gtest.h>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>
#include "operator_price_book.hpp"
#include "tariff_cli.hpp"

using namespace hepek::tariff;
namespace eth = hepek::eth;

namespace {
const std::string kData = "plugins/tariff/test/data/";
const eth::PrivateKey& operator_key() {
  static const auto key =
      eth::PrivateKey::from_hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  return key;
}
std::int64_t at(const char* iso) {
  return hepek::timeseries::parse_iso8601(iso)->unix_s;
}
}  // namespace

TEST(TariffCli, SignsOneDeliveryDayThatTheBookAccepts) {
  const auto text = run_tariff_sign({"--prices", kData + "dst_autumn_15min.csv", "--day", "2023-10-29",
                                     "--issued", "2023-10-28T13:00:00+02:00"},
                                    operator_key(), 0);
  const auto json = nlohmann::json::parse(text);
  EXPECT_EQ(json.at("resolution_s"), 900);
  ASSERT_EQ(json.at("prices").size(), 100u);  // the 25-hour day at quarter hours
  EXPECT_EQ(json.at("prices")[0][0], "2023-10-29T00:00:00+02:00");

  const auto [code, output] = run_tariff_verify({"--operator", operator_key().address().checksummed()}, text);
  EXPECT_EQ(code, 0) << output;
  EXPECT_EQ(nlohmann::json::parse(output).at("slots"), 100);

  OperatorPriceBook book(operator_key().address(), 48 * 3600);
  const auto result = book.offer(text, at("2023-10-28T13:01:00+02:00"));
  EXPECT_EQ(result.kind, OfferResult::Kind::accepted) << result.reason;
}

TEST(TariffCli, VerifyNamesTheProblem) {
  const auto text = run_tariff_sign({"--prices", kData + "gap_hourly.csv", "--day", "2023-08-01"},
                                    operator_key(), at("2023-07-31T13:00:00+02:00"));
  // The gap is left out of what the operator signs.
  EXPECT_EQ(nlohmann::json::parse(text).at("prices").size(), 4u);
  const auto other =
      eth::PrivateKey::from_hex("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
  auto [code, output] = run_tariff_verify({"--operator", other.address().checksummed()}, text);
  EXPECT_EQ(code, 1);
  EXPECT_NE(output.find("not by the configured operator"), std::string::npos) << output;
  std::tie(code, output) = run_tariff_verify({"--operator", other.address().checksummed()}, "{oops");
  EXPECT_EQ(code, 1);
  EXPECT_NE(output.find("not valid JSON"), std::string::npos) << output;
}

TEST(TariffCli, BadArgumentsAreNamed) {
  const auto expect_error = [](const std::vector<std::string>& args, const std::string& fragment) {
    try {
      run_tariff_sign(args, operator_key(), 0);
      FAIL() << "accepted";
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  expect_error({"--day", "2023-08-01"}, "--prices is required");
  expect_error({"--prices", kData + "gap_hourly.csv", "--day", "01-08-2023"}, "--day");
  expect_error({"--prices", kData + "gap_hourly.csv", "--day", "2023-09-01"}, "no prices on 2023-09-01");
  expect_error({"--prices", kData + "gap_hourly.csv", "--day", "2023-08-01", "--colour", "red"}, "--colour");
  EXPECT_THROW(run_tariff_verify({"--operator", "0x123"}, "{}"), std::invalid_argument);
}
