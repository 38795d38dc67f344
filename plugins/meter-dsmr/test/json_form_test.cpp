#include "json_form.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "dsmr_test_data.hpp"
#include "parse_command.hpp"
#include "parser.hpp"

using namespace hepek::dsmr;
using hepek::dsmr::test_data::dsmr_dir;
using hepek::dsmr::test_data::telegram_file;

namespace {

std::string json_of(const std::string& file) {
  const auto result = parse_telegram(telegram_file(file));
  EXPECT_TRUE(result.ok()) << result.error().to_string();
  return result.ok() ? telegram_to_json(result.telegram()).dump() : "";
}

}  // namespace

TEST(JsonForm, HeaderFieldsInOrder) {
  const std::string json = json_of("ndokter_telegram_v4_2.txt");
  EXPECT_EQ(json.rfind(R"({"ok":true,"crc":"6796","header":"/KFM5KAIFA-METER",)"
                       R"("timestamp":"2016-11-13T20:57:57+01:00","obis":{"1-3:0.2.8":{"value":"42"},)",
                       0),
            0u)
      << json;
}

TEST(JsonForm, ValuesWithUnitAreNumbersOthersStringsAsWritten) {
  const std::string json = json_of("ndokter_telegram_v4_2.txt");
  EXPECT_NE(json.find(R"("1-0:1.8.1":{"value":1581.123,"unit":"kWh"})"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("1-0:2.8.1":{"value":0.0,"unit":"kWh"})"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("0-0:96.14.0":{"value":"0002"})"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("0-0:96.13.0":{"value":""})"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("1-0:51.7.0":{"value":6,"unit":"A"})"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("0-0:96.7.21":{"value":"00015"})"), std::string::npos) << json;
}

TEST(JsonForm, MultiValueLinesCarryValuesAndTheLastReading) {
  const std::string v42 = json_of("ndokter_telegram_v4_2.txt");
  EXPECT_NE(v42.find(R"("0-1:24.2.1":{"value":981.443,"unit":"m3","timestamp":"2016-11-29T20:00:00+01:00",)"
                     R"("values":["161129200000W",981.443]})"),
            std::string::npos)
      << v42;
  EXPECT_NE(
      v42.find(R"("1-0:99.97.0":{"value":2317482647,"unit":"s","timestamp":"2000-01-02T00:00:03+01:00",)"
               R"("values":["3","0-0:96.7.19","000104180320W",237126,"000101000001W",2147583646,)"
               R"("000102000003W",2317482647]})"),
      std::string::npos)
      << v42;
  const std::string v5 = json_of("ndokter_telegram_v5.txt");
  EXPECT_NE(v5.find(R"("1-0:99.97.0":{"value":null,"values":["0","0-0:96.7.19"]})"), std::string::npos) << v5;
  const std::string fluvius = json_of("ndokter_telegram_fluvius_v171.txt");
  EXPECT_NE(
      fluvius.find(R"("0-0:98.1.0":{"value":4.318,"unit":"kW","timestamp":"2020-02-10T03:54:21+01:00",)"),
      std::string::npos)
      << fluvius;
  EXPECT_NE(fluvius.find(R"("1-0:1.6.0":{"value":2.589,"unit":"kW","timestamp":"2020-05-09T13:45:58+02:00",)"
                         R"("values":["200509134558S",2.589]})"),
            std::string::npos)
      << fluvius;
  const std::string v22 = json_of("ndokter_telegram_v2_2.txt");
  EXPECT_NE(v22.find(R"("0-1:24.3.0":{"value":1.001,"unit":"m3","timestamp":"2016-11-07T19:00:00",)"
                     R"("values":["161107190000","00","60","1","0-1:24.2.1","m3",1.001]})"),
            std::string::npos)
      << v22;
}

TEST(JsonForm, CrcIsFourUpperCaseDigitsOrNull) {
  EXPECT_NE(json_of("ndokter_telegram_unpadded_crc.txt").find(R"("crc":"0B9F")"), std::string::npos);
  EXPECT_EQ(json_of("ndokter_telegram_v3.txt")
                .rfind(R"({"ok":true,"crc":null,"header":"/ISk5\\2MT382-1000",)"
                       R"("timestamp":null,)",
                       0),
            0u);
}

TEST(JsonForm, Rejection) {
  EXPECT_EQ(rejection_to_json("line 3: bad").dump(), R"({"ok":false,"error":"line 3: bad"})");
}

// `hepek dsmr parse` on the shared files, through the same function the plugin's CLI command calls.
TEST(ParseCommand, SharedFilesOneLinePerTelegram) {
  const std::vector<std::string> valid = {
      "ndokter_telegram_v2_2.txt", "ndokter_telegram_v3.txt",           "ndokter_telegram_v4_2.txt",
      "ndokter_telegram_v5.txt",   "ndokter_telegram_fluvius_v171.txt", "ndokter_telegram_unpadded_crc.txt"};
  std::vector<std::string> args;
  for (const auto& name : valid) args.push_back(dsmr_dir() + "/" + name);
  std::ostringstream out, err;
  EXPECT_EQ(run_parse_command(args, out, err), 0) << err.str();
  std::istringstream lines(out.str());
  std::string line;
  std::size_t count = 0;
  while (std::getline(lines, line)) {
    const auto json = nlohmann::json::parse(line);
    EXPECT_EQ(json.at("ok"), true) << line;
    ++count;
  }
  EXPECT_EQ(count, valid.size());
  EXPECT_EQ(err.str(), "");
  EXPECT_EQ(
      out.str().rfind(R"({"ok":true,"crc":null,"header":"/ISk5\\2MT382-1004","timestamp":null,"obis":{)", 0),
      0u);
}

TEST(ParseCommand, BrokenFilesAreRejectedWithExitCodeOne) {
  const std::string v4 = dsmr_dir() + "/ndokter_telegram_v4_2.txt";
  const std::string bad = dsmr_dir() + "/ndokter_telegram_v4_2_BADCRC_line_removed.txt";
  const std::string missing = dsmr_dir() + "/ndokter_telegram_v5_MISSING_CRC.txt";
  std::ostringstream out, err;
  EXPECT_EQ(run_parse_command({v4, bad, missing}, out, err), 1);
  std::istringstream lines(out.str());
  std::string line;
  std::vector<nlohmann::json> results;
  while (std::getline(lines, line)) results.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0]["ok"], true);
  EXPECT_EQ(results[1],
            (nlohmann::json{{"ok", false},
                            {"error", bad + ": line 35: CRC mismatch: the telegram says 6796 but its "
                                            "bytes from '/' to '!' give F829"}}));
  EXPECT_EQ(results[2]["ok"], false);
  EXPECT_EQ(results[2]["error"], missing +
                                     ": telegram at line 1: truncated telegram: the input ends after line 39 "
                                     "without the '!' end line");
}

TEST(ParseCommand, UsageAndUnreadableFiles) {
  std::ostringstream out, err;
  EXPECT_EQ(run_parse_command({}, out, err), 2);
  EXPECT_NE(err.str().find("usage: hepek dsmr parse FILE..."), std::string::npos);
  std::ostringstream out2, err2;
  EXPECT_EQ(run_parse_command({"/nonexistent/telegram.txt"}, out2, err2), 1);
  EXPECT_EQ(out2.str(),
            R"({"ok":false,"error":"cannot open /nonexistent/telegram.txt: No such file or directory"})"
            "\n");
}
