// The parser forgives what real parsers forgive (dsmr_parser, arduino-dsmr): a line it cannot read is left out
// and reported, a stray control byte in the header of a CRC-verified telegram is dropped; a wrong CRC still
// rejects the telegram whole. Real telegrams from testdata/dsmr and crafted variants of them.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "crafted_telegram.hpp"
#include "dsmr_test_data.hpp"
#include "json_form.hpp"
#include "parse_command.hpp"
#include "parser.hpp"
#include "stream_reader.hpp"

using namespace hepek::dsmr;
using hepek::dsmr::test_data::telegram_file;
using hepek::dsmr::test_data::with_fresh_crc;

namespace {

// A telegram with a correct CRC: a good line, then `body`.
std::string with_good_line(const std::string& body) {
  return with_fresh_crc("/ISK5\\2M550T-1012\r\n\r\n1-0:1.8.2(000002.000*kWh)\r\n" + body + "!0000\r\n");
}

// "line N: message" of the only problem of an accepted telegram.
std::string problem_of(const std::string& text) {
  const auto result = parse_telegram(text);
  if (!result.ok()) return "(rejected) " + result.error().to_string();
  const auto& t = result.telegram();
  if (t.problems.size() != 1) return "(" + std::to_string(t.problems.size()) + " problems)";
  if (!t.find("1-0:1.8.2")) return "(the good line is missing)";
  return "line " + std::to_string(t.problems[0].line) + ": " + t.problems[0].message;
}

// The real DSMR 4.2 telegram with line `number` (1-based) replaced.
std::string v42_with_line(int number, const std::string& replacement) {
  std::istringstream in(telegram_file("ndokter_telegram_v4_2.txt"));
  std::string out, line;
  for (int n = 1; std::getline(in, line); ++n) out += (n == number ? replacement + "\r" : line) + "\n";
  return out;
}

}  // namespace

TEST(ForgivingParser, EachUnreadableLineIsLeftOutAndNamed) {
  EXPECT_EQ(problem_of(with_good_line("1-0:1.8.1(000001.500*kWh\r\n")),
            "line 4: '(' at column 10 is never closed");
  EXPECT_EQ(problem_of(with_good_line("1-0:1.8.1(00000x.500*kWh)\r\n")),
            "line 4: value '00000x.500*kWh' at column 11 is not a number (not a decimal number)");
  EXPECT_EQ(problem_of(with_good_line("1-0:1.8.1(000001.500*)\r\n")),
            "line 4: value '000001.500*' at column 11 has no valid unit after '*'");
  EXPECT_EQ(problem_of(with_good_line("1-0:1.8(1)\r\n")),
            "line 4: '1-0:1.8' is not an OBIS code 'A-B:C.D.E'");
  EXPECT_EQ(problem_of(with_good_line("hello\r\n")),
            "line 4: 'hello' is not an OBIS line 'A-B:C.D.E(value)'");
  EXPECT_EQ(problem_of(with_good_line("1-0:1.8.1(1*kWh)x\r\n")),
            "line 4: unexpected 'x' at column 17: expected '('");
  EXPECT_EQ(problem_of(with_good_line("1-0:1.8.2(2*kWh)\r\n")),
            "line 4: OBIS code 1-0:1.8.2 appears twice (first on line 3, which is kept)");
  EXPECT_EQ(problem_of(with_good_line("0-0:1.0.0(161313205757W)\r\n")),
            "line 4: telegram timestamp 0-0:1.0.0: '161313205757W' is not a calendar date");
  EXPECT_EQ(problem_of(with_good_line("1-0:99.97.0(2)(0-0:96.7.19)(000101000001W)\r\n")),
            "line 4: 1-0:99.97.0 announces 2 entries but 1 values follow its OBIS codes");
  EXPECT_EQ(problem_of(with_good_line("1-0:1.8.1(1\x01*kWh)\r\n")),
            "line 4: unexpected '\\x01' inside a value at column 12");
  // A value in parentheses after the good line continues it: the line is then not a valid 1-0:1.8.2 any more.
  EXPECT_EQ(
      problem_of(with_fresh_crc("/ISK5\\2M550T-1012\r\n\r\n(1)\r\n1-0:1.8.2(000002.000*kWh)\r\n!0000\r\n")),
      "line 3: a value in parentheses with no OBIS code before it");
}

TEST(ForgivingParser, TheRestOfARealTelegramIsKept) {
  // Line 20 of the DSMR 4.2 telegram is 1-0:52.36.0(00000): garble it and recompute the CRC, as a meter
  // firmware bug would send it.
  const auto result = parse_telegram(with_fresh_crc(v42_with_line(20, "1-0:52.36.0(00000")));
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  const Telegram& t = result.telegram();
  ASSERT_EQ(t.problems.size(), 1u);
  EXPECT_EQ(t.problems[0].line, 20);
  EXPECT_EQ(t.problems[0].text, "1-0:52.36.0(00000");
  EXPECT_EQ(t.problems[0].message, "'(' at column 12 is never closed");
  EXPECT_FALSE(t.find("1-0:52.36.0"));
  EXPECT_EQ(t.find("1-0:1.8.1")->value()->text, "001581.123");
  EXPECT_EQ(t.find("0-1:24.2.1")->value()->text, "00981.443");
  EXPECT_EQ(t.timestamp->iso8601(), "2016-11-13T20:57:57+01:00");
  EXPECT_EQ(t.objects.size(),
            parse_telegram(telegram_file("ndokter_telegram_v4_2.txt")).telegram().objects.size() - 1);
}

TEST(ForgivingParser, AWrongCrcStillRejectsTheWholeTelegram) {
  std::string garbled = v42_with_line(20, "1-0:52.36.0(00000");  // CRC of the original kept
  const auto result = parse_telegram(garbled);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("CRC mismatch"), std::string::npos) << result.error().to_string();
  EXPECT_FALSE(parse_telegram(telegram_file("ndokter_telegram_v5_BADCRC_line_removed.txt")).ok());
}

TEST(ForgivingParser, StrayControlByteInTheHeaderOfACrcVerifiedTelegram) {
  std::string text = telegram_file("ndokter_telegram_v5.txt");
  text.insert(5, 1, '\x02');  // "/ISk5" + STX + "\2MT382-1000"
  const auto accepted = parse_telegram(with_fresh_crc(text));
  ASSERT_TRUE(accepted.ok()) << accepted.error().to_string();
  EXPECT_EQ(accepted.telegram().header, "/ISk5\\2MT382-1000");
  ASSERT_EQ(accepted.telegram().problems.size(), 1u);
  EXPECT_EQ(accepted.telegram().problems[0].line, 1);
  EXPECT_EQ(accepted.telegram().problems[0].text, "/ISk5\\x02\\2MT382-1000");
  EXPECT_EQ(accepted.telegram().problems[0].message,
            "control byte '\\x02' at column 6 ignored (the CRC vouches for the telegram)");
  // The same byte without a fresh CRC: the CRC catches it.
  EXPECT_NE(parse_telegram(text).error().message.find("CRC mismatch"), std::string::npos);
  // DSMR 2.2 has no CRC to vouch for the header: still rejected.
  std::string legacy = telegram_file("ndokter_telegram_v2_2.txt");
  legacy.insert(5, 1, '\x02');
  EXPECT_EQ(parse_telegram(legacy).error().to_string(),
            "line 1: header has a control byte at column 6: '/ISk5\\x02\\2MT382-1004'");
}

TEST(ForgivingParser, ProblemTextIsEscapedAndShortened) {
  const std::string long_line = "1-0:1.8.1(" + std::string(300, '7') + "\xff";
  const auto result = parse_telegram(with_good_line(long_line + "\r\n"));
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  const std::string& text = result.telegram().problems.at(0).text;
  EXPECT_EQ(text.rfind("1-0:1.8.1(777", 0), 0u);
  EXPECT_NE(text.find("\xE2\x80\xA6 (314 bytes)"), std::string::npos) << text;  // hepek::quote_prefix
  EXPECT_EQ(text.find('\xff'), std::string::npos);
}

TEST(ForgivingParser, ContinuationOfALineLeftOutIsLeftOutToo) {
  // DSMR 2.2 gas profile whose first line is garbled: its value line must not attach to the line before.
  const std::string legacy = telegram_file("ndokter_telegram_v2_2.txt");
  std::string garbled = legacy;
  garbled.replace(garbled.find("0-1:24.3.0("), 11, "0-1:24.3.0[");
  const auto result = parse_telegram(garbled);
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  const Telegram& t = result.telegram();
  ASSERT_EQ(t.problems.size(), 2u);
  EXPECT_EQ(t.problems[0].line, 17);
  EXPECT_EQ(t.problems[1].line, 18);
  EXPECT_EQ(t.problems[1].message, "continues line 17, which could not be read");
  EXPECT_EQ(t.find("0-1:96.1.0")->fields.size(), 1u);
  EXPECT_FALSE(t.find("0-1:24.3.0"));
  EXPECT_TRUE(t.find("0-1:24.4.0"));
  // A continuation line that cannot be read takes the profile with it.
  std::string unclosed = legacy;
  unclosed.replace(unclosed.find("(00001.001)"), 11, "(00001.001");
  const auto dropped = parse_telegram(unclosed);
  ASSERT_TRUE(dropped.ok()) << dropped.error().to_string();
  ASSERT_EQ(dropped.telegram().problems.size(), 1u);
  EXPECT_EQ(dropped.telegram().problems[0].line, 18);
  EXPECT_EQ(dropped.telegram().problems[0].message,
            "'(' at column 1 is never closed (0-1:24.3.0 on line 17 is left out with it)");
  EXPECT_FALSE(dropped.telegram().find("0-1:24.3.0"));
  // A reading that is not a number: the profile is left out, named on its first line.
  std::string bad_value = legacy;
  bad_value.replace(bad_value.find("(00001.001)"), 11, "(0000x.001)");
  const auto bad = parse_telegram(bad_value);
  ASSERT_TRUE(bad.ok()) << bad.error().to_string();
  ASSERT_EQ(bad.telegram().problems.size(), 1u);
  EXPECT_EQ(bad.telegram().problems[0].line, 17);
  EXPECT_EQ(bad.telegram().problems[0].message,
            "0-1:24.3.0: reading 1 '0000x.001' is not a number (not a decimal number)");
  EXPECT_FALSE(bad.telegram().find("0-1:24.3.0"));
  EXPECT_TRUE(bad.telegram().find("0-1:24.4.0"));
}

TEST(ForgivingParser, StreamStillSplitsACutOffTelegramWithoutCrc) {
  // DSMR 2.2 carries no CRC: a telegram cut inside a line must not be merged with the next one as "one line
  // left out".
  const std::string v22 = telegram_file("ndokter_telegram_v2_2.txt");
  const std::string stream = v22.substr(0, 100) + v22;
  TelegramStreamReader reader;
  auto events = reader.feed(stream);
  auto tail = reader.finish();
  events.insert(events.end(), tail.begin(), tail.end());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_FALSE(events[0].ok());
  EXPECT_NE(events[0].describe_error().find("truncated"), std::string::npos);
  ASSERT_TRUE(events[1].ok());
  EXPECT_TRUE(events[1].telegram->problems.empty());
  EXPECT_EQ(events[1].telegram->find("0-1:24.3.0")->value()->text, "00001.001");
}

TEST(ForgivingParser, JsonAndParseCommandReportTheProblems) {
  const std::string garbled = with_fresh_crc(v42_with_line(20, "1-0:52.36.0(00000"));
  const auto json = telegram_to_json(parse_telegram(garbled).telegram(), 11);
  ASSERT_TRUE(json.contains("problems"));
  EXPECT_EQ(json["problems"].dump(),
            R"([{"line":30,"text":"1-0:52.36.0(00000","error":"'(' at column 12 is never closed"}])");
  EXPECT_FALSE(telegram_to_json(parse_telegram(telegram_file("ndokter_telegram_v4_2.txt")).telegram())
                   .contains("problems"));

  const std::string path = ::testing::TempDir() + "/forgiving_parse_command.txt";
  {
    std::ofstream file(path, std::ios::binary);
    file << telegram_file("ndokter_telegram_v5.txt") << garbled;
  }
  std::ostringstream out, err;
  EXPECT_EQ(run_parse_command({path}, out, err),
            0);  // accepted: exit 0, the problem on stderr and in the JSON
  std::istringstream lines(out.str());
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_FALSE(nlohmann::json::parse(first).contains("problems"));
  const auto parsed = nlohmann::json::parse(second);
  EXPECT_EQ(parsed["ok"], true);
  const std::size_t v5_lines = 40;  // the DSMR 5 telegram's lines: the second telegram starts on line 41
  EXPECT_EQ(parsed["problems"][0]["line"], v5_lines + 20);
  EXPECT_EQ(err.str(), path + ": line 60: '(' at column 12 is never closed: 1-0:52.36.0(00000\n");
}
