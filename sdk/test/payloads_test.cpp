// Golden JSON of the shared payload types (topic contract version 2): to_json() is pinned to the exact text,
// parse() of the golden text gives back the value, and every malformed message is an error naming the field.
#include <gtest/gtest.h>

#include <hepek/payloads/battery_setpoint.hpp>
#include <hepek/payloads/plan.hpp>
#include <hepek/payloads/prices.hpp>
#include <hepek/payloads/wallet.hpp>

using namespace hepek::payloads;

namespace {

template <typename T>
void expect_error(const std::string& text, const std::string& fragment) {
  const auto parsed = T::parse(std::string_view(text));
  ASSERT_FALSE(parsed.ok()) << text;
  EXPECT_NE(parsed.error().find(fragment), std::string::npos) << text << " → " << parsed.error();
}

PriceMessage sample_prices() {
  PriceMessage m;
  m.ts = "2023-08-01T11:00:00.000Z";
  m.source = "csv";
  m.resolution_s = 3600;
  m.gaps_filled = 1;
  m.export_mode = "spot";
  m.prices = {{1690840800000, 3600, 278300000, 80000000, 80000000, false, false},
              {1690844400000, 3600, 266200000, -10000000, 70000000, true, true}};
  return m;
}

// Keys in nlohmann's (alphabetical) order: the exact text a producer publishes.
const char* kGoldenPrices =
    R"({"currency":"EUR","export":"spot","gaps_filled":1,"known_until_ms":1690848000000,"prices":[)"
    R"({"export_ueur_per_mwh":80000000,"filled":false,"import_ueur_per_mwh":278300000,"length_s":3600,)"
    R"("spot_ueur_per_mwh":80000000,"start_ms":1690840800000},)"
    R"({"conflicting":true,"export_ueur_per_mwh":-10000000,"filled":true,"import_ueur_per_mwh":266200000,)"
    R"("length_s":3600,"spot_ueur_per_mwh":70000000,"start_ms":1690844400000}],"resolution_s":3600,)"
    R"("schema":2,"source":"csv","ts":"2023-08-01T11:00:00.000Z","unit":"uEUR/MWh"})";

}  // namespace

TEST(PriceMessage, GoldenJson) {
  EXPECT_EQ(sample_prices().to_json().dump(), kGoldenPrices);
  const auto parsed = PriceMessage::parse(std::string_view(kGoldenPrices));
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->prices, sample_prices().prices);
  EXPECT_EQ(parsed->resolution_s, 3600);
  EXPECT_EQ(parsed->export_mode, "spot");
  EXPECT_EQ(parsed->known_until_ms(), 1690848000000);
  EXPECT_EQ(parsed->at(1690844400000 + 1)->import_ueur_per_mwh, 266200000);
  EXPECT_EQ(parsed->at(1690848000000), nullptr);
}

TEST(PriceMessage, ErrorsNameTheField) {
  expect_error<PriceMessage>("{not json", "hepek/tariff/prices is not valid JSON");
  expect_error<PriceMessage>("[]", "not a JSON object");
  expect_error<PriceMessage>(R"({"prices":[]})", "unit is missing");
  expect_error<PriceMessage>(R"({"unit":"EUR/MWh","prices":[]})", "a version-1 message in EUR/MWh");
  expect_error<PriceMessage>(R"({"unit":"uEUR/MWh"})", "prices is not an array");
  expect_error<PriceMessage>(R"({"unit":"uEUR/MWh","prices":[7]})", "prices[0] is not an object");
  expect_error<PriceMessage>(
      R"({"unit":"uEUR/MWh","prices":[{"start_ms":0,"length_s":60,"import_ueur_per_mwh":1}]})",
      "prices[0].export_ueur_per_mwh is missing");
  expect_error<PriceMessage>(
      R"({"unit":"uEUR/MWh","prices":[{"start_ms":0,"length_s":60,"import_ueur_per_mwh":1.5,"export_ueur_per_mwh":0}]})",
      "prices[0].import_ueur_per_mwh is 1.5, not an integer");
  expect_error<PriceMessage>(
      R"({"unit":"uEUR/MWh","prices":[{"start_ms":0,"length_s":0,"import_ueur_per_mwh":1,"export_ueur_per_mwh":0}]})",
      "prices[0].length_s must be positive");
  expect_error<PriceMessage>(R"({"unit":"uEUR/MWh","prices":[
      {"start_ms":0,"length_s":3600,"import_ueur_per_mwh":1,"export_ueur_per_mwh":0},
      {"start_ms":1000,"length_s":3600,"import_ueur_per_mwh":1,"export_ueur_per_mwh":0}]})",
                             "prices[1] starts before the previous interval ends");
  expect_error<PriceMessage>(R"({"unit":"uEUR/MWh","resolution_s":"hourly","prices":[]})",
                             "resolution_s is not an integer");
}

TEST(BatterySetpoint, GoldenJson) {
  EXPECT_EQ((BatterySetpoint{-2000, 900}).to_json().dump(), R"({"expires_s":900,"setpoint_w":-2000})");
  EXPECT_EQ((BatterySetpoint{1500, std::nullopt}).to_json().dump(), R"({"setpoint_w":1500})");
  const auto parsed = BatterySetpoint::parse(std::string_view(R"({"setpoint_w":-2000,"expires_s":900})"));
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(*parsed, (BatterySetpoint{-2000, 900}));
  // An integral number written as a float (1500.0) is understood.
  EXPECT_EQ(BatterySetpoint::parse(std::string_view(R"({"setpoint_w":1500.0})"))->setpoint_w, 1500);
}

TEST(BatterySetpoint, ErrorsNameTheField) {
  expect_error<BatterySetpoint>("{}", "setpoint_w is missing (W, + = discharge)");
  expect_error<BatterySetpoint>(R"({"setpoint_w":"max"})", "setpoint_w is not an integer");
  expect_error<BatterySetpoint>(R"({"setpoint_w":12.5})", "setpoint_w is 12.5, not an integer");
  expect_error<BatterySetpoint>(R"({"setpoint_w":0,"expires_s":0})", "expires_s must be positive");
  expect_error<BatterySetpoint>(R"({"setpoint_w":0,"expires_s":true})", "expires_s is not an integer");
}

TEST(PlanMessage, GoldenJson) {
  PlanMessage plan;
  plan.ts = "2024-01-01T00:00:00.000Z";
  plan.step_s = 900;
  plan.solve_us = 1234;
  plan.steps = {{1704067200000, 900, -2000, 2500, 512, 278300000, "charge from grid"},
                {1704068100000, 900, 1000, std::nullopt, std::nullopt, std::nullopt, "cover the load"}};
  const std::string golden =
      R"({"schema":2,"solve_us":1234,"step_s":900,"steps":[{"battery_w":-2000,"grid_w":2500,)"
      R"("import_ueur_per_mwh":278300000,"length_s":900,"reason":"charge from grid","soc_permille":512,)"
      R"("start_ms":1704067200000},{"battery_w":1000,"length_s":900,"reason":"cover the load",)"
      R"("start_ms":1704068100000}],"ts":"2024-01-01T00:00:00.000Z"})";
  EXPECT_EQ(plan.to_json().dump(), golden);
  const auto parsed = PlanMessage::parse(std::string_view(golden));
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->steps, plan.steps);
  EXPECT_EQ(parsed->solve_us, 1234);
  EXPECT_FALSE(parsed->fallback);

  PlanMessage fallback;
  fallback.ts = "2024-01-01T00:00:00.000Z";
  fallback.step_s = 900;
  fallback.fallback = "no prices received on hepek/tariff/prices";
  EXPECT_EQ(fallback.to_json().dump(),
            R"({"fallback":"no prices received on hepek/tariff/prices","schema":2,"step_s":900,"steps":[],)"
            R"("ts":"2024-01-01T00:00:00.000Z"})");
  EXPECT_EQ(PlanMessage::parse(fallback.to_json())->fallback, fallback.fallback);
}

TEST(PlanMessage, LoadWindowsRoundTrip) {
  PlanMessage plan;
  plan.step_s = 900;
  plan.loads["dishwasher"] = {{1000, 2000}, {3000, 4000}};
  plan.loads["boiler"] = {};
  const auto json = plan.to_json();
  EXPECT_EQ(
      json["loads"].dump(),
      R"({"boiler":[],"dishwasher":[{"end_ms":2000,"start_ms":1000},{"end_ms":4000,"start_ms":3000}]})");
  const auto parsed = PlanMessage::parse(json);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->loads, plan.loads);
  ASSERT_NE(parsed->windows_for("boiler"), nullptr);
  EXPECT_TRUE(parsed->windows_for("boiler")->empty());
  EXPECT_EQ(parsed->windows_for("washer"), nullptr);
}

TEST(PlanMessage, ErrorsNameTheField) {
  expect_error<PlanMessage>(R"({"step_s":900,"steps":[],"loads":[]})", "loads is not an object");
  expect_error<PlanMessage>(R"({"step_s":900,"steps":[],"loads":{"dw":{}}})", "loads.dw is not an array");
  expect_error<PlanMessage>(R"({"step_s":900,"steps":[],"loads":{"dw":[{"start_ms":5}]}})",
                            "loads.dw[0].end_ms is missing");
  expect_error<PlanMessage>(R"({"step_s":900,"steps":[],"loads":{"dw":[{"start_ms":5,"end_ms":5}]}})",
                            "loads.dw[0] ends before it starts");
  expect_error<PlanMessage>(
      R"({"step_s":900,"steps":[],"loads":{"dw":[{"start_ms":0,"end_ms":9},{"start_ms":5,"end_ms":20}]}})",
      "loads.dw[1] overlaps");
  expect_error<PlanMessage>(R"({"steps":[]})", "hepek/plan: step_s is missing");
  expect_error<PlanMessage>(R"({"step_s":900})", "steps is not an array");
  expect_error<PlanMessage>(R"({"step_s":900,"steps":[{"start_ms":0,"length_s":900}]})",
                            "steps[0].battery_w is missing");
  expect_error<PlanMessage>(
      R"({"step_s":900,"steps":[{"start_ms":0,"length_s":900,"battery_w":0,"soc_permille":1001}]})",
      "steps[0].soc_permille 1001 is outside 0-1000");
  expect_error<PlanMessage>(R"({"step_s":900,"steps":[],"fallback":3})", "fallback is not a string");
}

TEST(WalletMessage, GoldenJson) {
  WalletMessage wallet;
  wallet.device_id = "HEPEK-0001";
  wallet.registration = "claimed";
  wallet.credit_state = "ok";
  wallet.ts = "2024-01-01T00:00:00.000Z";
  EXPECT_EQ(wallet.to_json().dump(),
            R"({"credit_state":"ok","device_id":"HEPEK-0001","override":false,"registration":"claimed",)"
            R"("schema":2,"ts":"2024-01-01T00:00:00.000Z"})");
  wallet.channel = WalletChannel{"0",
                                 "5000000000000000000",
                                 "120000000000000",
                                 "4999880000000000000",
                                 3,
                                 "0xab",
                                 "0xDe",
                                 "0xOw",
                                 nullptr,
                                 true,
                                 "cycle 3 accepted"};
  const std::string golden =
      R"({"channel_id":"0xab","credit_state":"ok","cycle":3,"deposit":"5000000000000000000","device":"0xDe",)"
      R"("device_id":"HEPEK-0001","last_ack":"cycle 3 accepted","last_proof":null,"last_proof_acked":true,)"
      R"("override":false,"owner":"0xOw","registration":"claimed","remaining":"4999880000000000000",)"
      R"("schema":2,"spent":"120000000000000","token_balance":"0","ts":"2024-01-01T00:00:00.000Z"})";
  EXPECT_EQ(wallet.to_json().dump(), golden);
  const auto parsed = WalletMessage::parse(std::string_view(golden));
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->channel, wallet.channel);
  EXPECT_EQ(parsed->device_id, "HEPEK-0001");
}

TEST(WalletMessage, MoneyIsNeverAFloat) {
  const std::string base = R"({"device_id":"d","deposit":"1","spent":"0","remaining":"1","cycle":0,)";
  expect_error<WalletMessage>(base + R"("token_balance":1.5})", "token_balance is not a string");
  expect_error<WalletMessage>(base + R"("token_balance":"1.5"})",
                              "token_balance \"1.5\" is not a decimal string of base units");
  expect_error<WalletMessage>(base + R"("token_balance":"-1"})", "is not a decimal string");
  expect_error<WalletMessage>(base + R"("token_balance":"007"})", "is not a decimal string");
  expect_error<WalletMessage>(R"({"registration":"x"})", "hepek/wallet: device_id is missing");
  expect_error<WalletMessage>(base + R"("token_balance":"2","last_proof":"yes"})",
                              "last_proof is neither an object nor null");
}

TEST(Payloads, DeepOrHugeTextIsRefusedBeforeParsing) {
  // 100,000 levels would overflow the recursive parser's stack; the limit refuses them first.
  const std::string deep = "{\"steps\":" + std::string(100'000, '[') + std::string(100'000, ']') + "}";
  expect_error<PlanMessage>(deep, "hepek/plan: JSON nesting deeper than 64 levels");
  expect_error<WalletMessage>(std::string(2 * 1024 * 1024, ' '), "larger than the limit");
}
