// M-Bus channels (gas, water, heat) in the meter state: the "mbus" list with each channel's device type, equipment
// id, reading, unit and own capture time, and the flat gas / water / heat fields. Real telegrams from
// testdata/dsmr and crafted variants; problems of a forgiven telegram in the state.
#include <gtest/gtest.h>

#include "crafted_telegram.hpp"
#include "dsmr_test_data.hpp"
#include "meter_state.hpp"
#include "parser.hpp"

using namespace hepek::dsmr;
using hepek::dsmr::test_data::telegram_file;
using hepek::dsmr::test_data::with_fresh_crc;

namespace {

nlohmann::json state_of_text(const std::string& text) {
  const auto result = parse_telegram(text);
  EXPECT_TRUE(result.ok()) << result.error().to_string();
  return result.ok() ? meter_state(result.telegram()) : nlohmann::json::object();
}

nlohmann::json state_of(const std::string& file) {
  return state_of_text(telegram_file(file));
}

}  // namespace

TEST(MbusState, GasChannelWithItsIdAndTime) {
  const auto s = state_of("ndokter_telegram_v4_2.txt");
  EXPECT_EQ(s["mbus"], nlohmann::json::parse(R"([{"channel":1,"kind":"gas","device_type":3,
    "equipment_id":"4819243993373755377509728609491464","value":981.443,"unit":"m3",
    "ts":"2016-11-29T20:00:00+01:00"}])"));
  EXPECT_EQ(s["gas"], 981.443);
  EXPECT_EQ(s["gas_ts"], "2016-11-29T20:00:00+01:00");
}

TEST(MbusState, ChannelWithoutReadingIsListed) {
  // DSMR 5 sample: channel 2 is a gas meter announced with an empty equipment id and no reading yet.
  const auto s = state_of("ndokter_telegram_v5.txt");
  ASSERT_EQ(s["mbus"].size(), 2u);
  EXPECT_EQ(s["mbus"][0]["value"], 0.107);
  EXPECT_EQ(s["mbus"][1], nlohmann::json::parse(R"({"channel":2,"kind":"gas","device_type":3})"));
  EXPECT_EQ(s["gas"], 0.107);  // the first gas channel with a reading
}

TEST(MbusState, BelgianGasAndWater) {
  const auto s = state_of("ndokter_telegram_fluvius_v171.txt");
  ASSERT_EQ(s["mbus"].size(), 2u);
  EXPECT_EQ(s["mbus"][0]["kind"], "gas");
  EXPECT_EQ(s["mbus"][0]["value"], 112.384);  // 0-1:24.2.3, temperature-corrected
  EXPECT_EQ(s["mbus"][0]["ts"], "2020-05-12T13:45:58+02:00");
  EXPECT_EQ(s["mbus"][1]["kind"], "water");
  EXPECT_EQ(s["mbus"][1]["device_type"], 7);
  EXPECT_EQ(s["mbus"][1]["unit"], "m3");
  EXPECT_EQ(s["water"], 872.234);
}

TEST(MbusState, HeatMeterInGigajoules) {
  const auto s = state_of("ndokter_telegram_unpadded_crc.txt");
  EXPECT_EQ(s["mbus"], nlohmann::json::parse(R"([{"channel":1,"kind":"heat","device_type":4,
    "equipment_id":"621848012D2C0B0C","value":240.86,"unit":"GJ","ts":"2026-02-15T20:05:23+01:00"}])"));
  EXPECT_EQ(s["heat"], 240.86);
  EXPECT_EQ(s["heat_ts"], "2026-02-15T20:05:23+01:00");
  EXPECT_FALSE(s.contains("gas"));
  // A heat meter reporting kWh: the flat field is converted to GJ, the list keeps the meter's unit.
  std::string kwh = telegram_file("ndokter_telegram_unpadded_crc.txt");
  kwh.replace(kwh.find("(240.860*GJ)"), 12, "(1000.000*kWh)");
  const auto k = state_of_text(with_fresh_crc(kwh));
  EXPECT_DOUBLE_EQ(k["heat"].get<double>(), 3.6);
  EXPECT_EQ(k["mbus"][0]["unit"], "kWh");
}

TEST(MbusState, LegacyGasProfileValueOnTheNextLine) {
  const auto s = state_of("ndokter_telegram_v3.txt");
  EXPECT_EQ(s["mbus"], nlohmann::json::parse(R"([{"channel":1,"kind":"gas","device_type":3,
    "equipment_id":"3232323241424344313233343536373839","value":1.001,"unit":"m3","ts":"2009-02-12T16:00:00"}])"));
  EXPECT_EQ(s["gas_ts"], "2009-02-12T16:00:00");  // DSMR 3 profile times carry no S/W flag: no offset
}

TEST(MbusState, SeveralChannelsEachWithItsOwnTime) {
  // Crafted from the DSMR 5 sample: channel 2 a water meter, channel 3 a heat meter, each read at its own time.
  std::string text = telegram_file("ndokter_telegram_v5.txt");
  text.replace(text.find("0-2:24.1.0(003)"), 15, "0-2:24.1.0(007)");
  const std::string extra =
      "0-2:24.2.1(170102160000W)(00012.345*m3)\r\n"
      "0-3:24.1.0(004)\r\n0-3:96.1.0(4142)\r\n0-3:24.2.1(170101235959W)(00001.500*GJ)\r\n";
  text.insert(text.find("\n!") + 1, extra);
  const auto s = state_of_text(with_fresh_crc(text));
  ASSERT_EQ(s["mbus"].size(), 3u);
  EXPECT_EQ(s["mbus"][1], nlohmann::json::parse(R"({"channel":2,"kind":"water","device_type":7,"value":12.345,
    "unit":"m3","ts":"2017-01-02T16:00:00+01:00"})"));
  EXPECT_EQ(s["mbus"][2]["ts"], "2017-01-01T23:59:59+01:00");
  EXPECT_EQ(s["gas_ts"], "2017-01-02T16:10:05+01:00");
  EXPECT_EQ(s["water_ts"], "2017-01-02T16:00:00+01:00");
  EXPECT_EQ(s["heat"], 1.5);
}

TEST(MbusState, ProblemsOfAForgivenTelegramAreInTheState) {
  std::string text = telegram_file("ndokter_telegram_v4_2.txt");
  text.replace(text.find("0-1:24.2.1(161129200000W)(00981.443*m3)"), 39,
               "0-1:24.2.1(161129200000W)(00981.443*m3");
  const auto s = state_of_text(with_fresh_crc(text));
  EXPECT_FALSE(s.contains("gas"));
  ASSERT_EQ(s["problems"].size(), 1u);
  EXPECT_EQ(s["problems"][0]["line"], 35);
  EXPECT_EQ(s["problems"][0]["text"], "0-1:24.2.1(161129200000W)(00981.443*m3");
  EXPECT_EQ(s["energy_import_tariff1"], 1581123);  // the rest is there
  // The channel is still listed (type and id), without the reading that could not be read.
  EXPECT_FALSE(s["mbus"][0].contains("value"));
  EXPECT_FALSE(state_of("ndokter_telegram_v4_2.txt").contains("problems"));
}
