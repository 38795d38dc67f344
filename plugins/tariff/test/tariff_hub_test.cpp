// The tariff plugin in the real hub (`hepek run`, embedded Mosquitto on a free port), observed from outside:
// hepek/tariff/prices arrives as retained JSON from a CSV source, and from the operator's signed broadcasts
// (a good signature is published, another signer is refused and logged, the hub keeps running).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include <hepek/payloads/prices.hpp>
#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>

#include "operator_prices.hpp"
#include "test_support.hpp"

using namespace hepek::testing;
using Clock = std::chrono::steady_clock;
namespace eth = hepek::eth;

namespace {

class TariffHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = free_port();
    data_dir_ = temp_.path() + "/data";
  }
  std::unique_ptr<HubProcess> start(const std::string& body) {
    return std::make_unique<HubProcess>(write_config(temp_.path(), port_, body), data_dir_);
  }
  std::unique_ptr<MqttClient> client(const std::string& account, const std::string& id) {
    return connect_account(data_dir_, port_, account, id);
  }

  TempDir temp_;
  int port_ = 0;
  std::string data_dir_;
};

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Spot price of hour h in the generated file.
double spot_of(std::int64_t hour_start) {
  return static_cast<double>((hour_start / 3600) % 48) * 2.5 - 30.0;
}

}  // namespace

TEST_F(TariffHubTest, CsvSourcePublishesRetainedPricesForWhatIsKnown) {
  // Hourly prices from yesterday to the day after tomorrow, all at +01:00 (the file's own offset decides the
  // day).
  const std::int64_t now = unix_now();
  const int offset = 60;
  const std::int64_t today = hepek::timeseries::local_day(now, offset) * 86400 - offset * 60;
  std::string csv = "time,price_eur_per_mwh\n";
  for (std::int64_t t = today - 86400; t < today + 3 * 86400; t += 3600)
    csv += fmt::format("{},{:.2f}\n", hepek::timeseries::format_iso8601(t, offset), spot_of(t));
  const std::string price_file = temp_.path() + "/prices.csv";
  write_file(price_file, csv);

  auto hub = start(fmt::format(R"(
[[plugin]]
id = "tariff-nl"
type = "tariff"
source = "csv"
csv = "{}"
grid_fee_eur_per_mwh = 50.0
energy_tax_eur_per_mwh = 100.0
vat_percent = 21.0
export = "fixed"
export_fixed_eur_per_mwh = 70.0
)",
                               price_file));
  auto observer = client("observer", "observer-1");
  ASSERT_TRUE(observer) << hub->log();
  observer->subscribe("hepek/tariff/prices");
  observer->subscribe("hepek/tariff-nl/#");
  const auto message = observer->wait_for("hepek/tariff/prices", {}, 10000);
  ASSERT_TRUE(message) << hub->log();
  const auto parsed = hepek::payloads::PriceMessage::parse(message->payload);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  const auto& prices = *parsed;
  EXPECT_EQ(prices.source, "csv");
  EXPECT_EQ(prices.resolution_s, 3600);
  const auto& slots = prices.prices;
  ASSERT_FALSE(slots.empty()) << message->payload;
  // The first slot is the current hour; the last ends at midnight tonight or, from 13:00 on, tomorrow night.
  const std::int64_t first_s = slots.front().start_ms / 1000;
  const std::int64_t checked_now = unix_now();
  EXPECT_LE(first_s, checked_now);
  EXPECT_GT(first_s + 3600, now);
  const bool after_publication = hepek::timeseries::local_second_of_day(now, offset) >= 13 * 3600;
  const std::int64_t expected_until = today + (after_publication ? 2 : 1) * 86400;
  const std::int64_t last_end_s = slots.back().end_ms() / 1000;
  if (hepek::timeseries::local_day(now, offset) == hepek::timeseries::local_day(checked_now, offset) &&
      after_publication == (hepek::timeseries::local_second_of_day(checked_now, offset) >= 13 * 3600)) {
    // (unless the test straddled midnight or 13:00)
    EXPECT_EQ(last_end_s, expected_until) << message->payload;
  }
  for (const auto& slot : slots) {
    const double spot = spot_of(slot.start_ms / 1000);
    EXPECT_NEAR(static_cast<double>(slot.spot_ueur_per_mwh.value_or(0)), spot * 1e6, 0.5);
    EXPECT_NEAR(static_cast<double>(slot.import_ueur_per_mwh), (spot + 150.0) * 1.21 * 1e6, 1.0);
    EXPECT_EQ(slot.export_ueur_per_mwh, 70'000'000);
    EXPECT_FALSE(slot.filled);
  }
  // The device announces itself and publishes its state.
  EXPECT_TRUE(observer->wait_for("hepek/tariff-nl/config", {}, 5000)) << hub->log();
  const auto state = observer->wait_for("hepek/tariff-nl/state", {}, 5000);
  ASSERT_TRUE(state) << hub->log();
  const auto state_json = nlohmann::json::parse(state->payload);
  EXPECT_NEAR(state_json.at("import_eur_per_mwh").get<double>(),
              static_cast<double>(slots.front().import_ueur_per_mwh) / 1e6, 1e-9);
  EXPECT_GE(state_json.at("known_slots").get<int>(), 1);

  // A client connecting later gets the prices as a retained message.
  auto late = client("observer", "observer-late");
  ASSERT_TRUE(late);
  late->subscribe("hepek/tariff/prices");
  const auto retained = late->wait_for("hepek/tariff/prices", {}, 5000);
  ASSERT_TRUE(retained);
  EXPECT_TRUE(retained->retained);
  const auto retained_prices = hepek::payloads::PriceMessage::parse(retained->payload);
  ASSERT_TRUE(retained_prices.ok()) << retained_prices.error();
  EXPECT_EQ(retained_prices->prices, slots);
  hub->terminate();
}

TEST_F(TariffHubTest, OperatorSourceAcceptsTheOperatorsSignatureOnly) {
  const auto operator_key =
      eth::PrivateKey::from_hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  const auto intruder_key =
      eth::PrivateKey::from_hex("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
  auto hub = start(fmt::format(R"(
[[plugin]]
id = "tariff"
type = "tariff"
source = "operator"
operator_address = "{}"
margin_eur_per_mwh = 10.0
)",
                               operator_key.address().checksummed()));
  auto observer = client("observer", "observer-2");
  auto admin = client("admin", "admin-operator-stand-in");
  ASSERT_TRUE(observer && admin) << hub->log();
  observer->subscribe("hepek/tariff/prices");
  // The plugin subscribes before its first (empty) publication: once that is seen, broadcasts reach it.
  const auto first = observer->wait_for("hepek/tariff/prices", {}, 10000);
  ASSERT_TRUE(first) << hub->log();
  EXPECT_TRUE(nlohmann::json::parse(first->payload).at("prices").empty());

  // Quarter-hour prices from the current quarter hour on, for 12 hours, issued now.
  const std::int64_t now = unix_now();
  hepek::tariff::OperatorPriceMessage message;
  message.issued_s = now;
  message.issued_offset_minutes = 60;
  message.resolution_s = 900;
  for (int k = 0; k < 48; ++k)
    message.prices.push_back({now - now % 900 + k * 900, 60, (k - 20) * 1'500'000});

  auto intruder = message;
  intruder.sign(intruder_key);
  ASSERT_EQ(admin->publish("serenity/broadcast/prices", intruder.to_json().dump()), 0);
  message.sign(operator_key);
  ASSERT_EQ(admin->publish("serenity/broadcast/prices", message.to_json().dump()), 0);
  ASSERT_EQ(admin->publish("serenity/broadcast/prices", "{not json"), 0);

  const auto published = observer->wait_for(
      "hepek/tariff/prices",
      [](const Received& m) { return !nlohmann::json::parse(m.payload).at("prices").empty(); }, 10000);
  ASSERT_TRUE(published) << hub->log();
  const auto prices = nlohmann::json::parse(published->payload);
  EXPECT_EQ(prices.at("source"), "operator");
  EXPECT_EQ(prices.at("resolution_s"), 900);
  ASSERT_EQ(prices.at("prices").size(), 48u);
  EXPECT_EQ(prices.at("prices")[0].at("spot_ueur_per_mwh").get<std::int64_t>(), -30'000'000);
  EXPECT_EQ(prices.at("prices")[0].at("import_ueur_per_mwh").get<std::int64_t>(), -20'000'000);

  // Both bad broadcasts are refused with a reason in the log; the hub is still up.
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (Clock::now() < deadline && hub->log().find("not valid JSON") == std::string::npos)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const std::string log = hub->log();
  EXPECT_NE(log.find("not by the configured operator"), std::string::npos) << log;
  EXPECT_NE(log.find("not valid JSON"), std::string::npos) << log;
  EXPECT_EQ(hub->wait(0), -1) << "the hub exited: " << log;
  hub->terminate();
}

TEST_F(TariffHubTest, SimulationRepublishesWhenTheNextDayBecomesKnown) {
  // hepek simulate over the real NL prices across the 25-hour day: the first step publishes the rest of 27
  // October, then 13:00 on each of the three days brings the next day (the last one, 30 October, included).
  const std::string config = temp_.path() + "/simulate.toml";
  write_file(config, fmt::format(R"([hub]
name = "tariff-sim"
timezone = "Europe/Amsterdam"
step_s = 900

[[plugin]]
id = "tariff"
type = "tariff"
source = "csv"
csv = "{}"
grid_fee_eur_per_mwh = 100.0
)",
                                 testdata("prices/nl_day_ahead_2023_hourly.csv")));
  const auto result =
      run_command({hepek_binary(), "--config", config, "--data-dir", temp_.path() + "/sim-data", "simulate",
                   "--from", "2023-10-27", "--days", "3", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto summary = nlohmann::json::parse(result.out.substr(result.out.find('{')));
  EXPECT_EQ(summary.at("steps"), 4 * 24 * 3 + 4);  // one 25-hour day
  EXPECT_EQ(summary.at("tariff").at("publications"), 4) << result.out;
  EXPECT_EQ(summary.at("tariff").at("operator_rejected"), 0);
}
