#include "parser.hpp"

#include <gtest/gtest.h>

#include "crc16.hpp"
#include "dsmr_test_data.hpp"

using namespace hepek::dsmr;
using hepek::dsmr::test_data::telegram_file;

namespace {

// A telegram with a correct CRC around `body` (lines with CRLF).
std::string with_crc(const std::string& body) {
  const std::string covered = "/ISK5\\2M550T-1012\r\n\r\n" + body + "!";
  char crc[8];
  std::snprintf(crc, sizeof crc, "%04X", crc16_arc(covered));
  return covered + crc + "\r\n";
}

std::string error_of(const std::string& text) {
  const auto result = parse_telegram(text);
  return result.ok() ? std::string("(accepted)") : result.error().to_string();
}

}  // namespace

TEST(Parser, Dsmr42Telegram) {
  const auto result = parse_telegram(telegram_file("ndokter_telegram_v4_2.txt"));
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  const Telegram& t = result.telegram();
  EXPECT_EQ(t.header, "/KFM5KAIFA-METER");
  EXPECT_EQ(t.crc, 0x6796);
  EXPECT_EQ(t.version(), "42");
  ASSERT_TRUE(t.timestamp);
  EXPECT_EQ(t.timestamp->iso8601(), "2016-11-13T20:57:57+01:00");
  EXPECT_EQ(t.timestamp->unix_seconds(), 1479067077);  // 2016-11-13T19:57:57Z

  const CosemObject* import1 = t.find("1-0:1.8.1");
  ASSERT_TRUE(import1 && import1->value());
  EXPECT_EQ(import1->value()->text, "001581.123");
  EXPECT_EQ(import1->value()->unit, "kWh");
  EXPECT_EQ(import1->value()->number->scaled(3), 1581123);
  EXPECT_EQ(import1->line, 6);

  const CosemObject* gas = t.find("0-1:24.2.1");
  ASSERT_TRUE(gas && gas->value());
  EXPECT_TRUE(gas->multi_value());
  EXPECT_EQ(gas->value()->text, "00981.443");
  EXPECT_EQ(gas->value()->unit, "m3");
  ASSERT_TRUE(gas->timestamp);
  EXPECT_EQ(gas->timestamp->iso8601(), "2016-11-29T20:00:00+01:00");

  const CosemObject* failures = t.find("1-0:99.97.0");  // power failure event log
  ASSERT_TRUE(failures);
  ASSERT_EQ(failures->entries.size(), 3u);
  EXPECT_EQ(failures->fields[failures->entries[0].value_index].text, "0000237126");
  EXPECT_EQ(failures->entries[0].timestamp->iso8601(), "2000-01-04T18:03:20+01:00");
  EXPECT_EQ(failures->value()->text, "2317482647");
  EXPECT_EQ(failures->value()->unit, "s");

  const CosemObject* message = t.find("0-0:96.13.0");
  ASSERT_TRUE(message && message->value());
  EXPECT_EQ(message->value()->text, "");
  EXPECT_TRUE(message->value()->unit.empty());
}

TEST(Parser, EmptyPowerFailureLogHasNoReading) {
  const auto result = parse_telegram(telegram_file("ndokter_telegram_v5.txt"));
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  const CosemObject* log = result.telegram().find("1-0:99.97.0");
  ASSERT_TRUE(log);
  EXPECT_EQ(log->value(), nullptr);
  EXPECT_TRUE(log->entries.empty());
  EXPECT_EQ(log->fields.size(), 2u);
}

TEST(Parser, BelgianPeakHistory) {
  const auto result = parse_telegram(telegram_file("ndokter_telegram_fluvius_v171.txt"));
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  const Telegram& t = result.telegram();
  EXPECT_EQ(t.version(), "50217");
  EXPECT_EQ(t.timestamp->iso8601(), "2020-05-12T13:54:09+02:00");
  const CosemObject* history = t.find("0-0:98.1.0");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->entries.size(), 3u);
  EXPECT_EQ(history->fields[history->entries[0].value_index].text, "03.695");
  EXPECT_EQ(history->entries[0].timestamp->iso8601(), "2020-04-23T19:25:38+02:00");
  EXPECT_EQ(history->fields[history->entries[2].value_index].text, "04.318");
  EXPECT_EQ(history->entries[2].timestamp->iso8601(), "2020-02-10T03:54:21+01:00");
  EXPECT_EQ(history->value()->text, "04.318");
  const CosemObject* peak = t.find("1-0:1.6.0");
  EXPECT_EQ(peak->value()->text, "02.589");
  EXPECT_EQ(peak->timestamp->iso8601(), "2020-05-09T13:45:58+02:00");
}

TEST(Parser, LegacyGasProfileContinuesOnTheNextLine) {
  const auto result = parse_telegram(telegram_file("ndokter_telegram_v2_2.txt"));
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  const Telegram& t = result.telegram();
  EXPECT_FALSE(t.crc);
  EXPECT_FALSE(t.timestamp);
  EXPECT_EQ(t.version(), "");
  const CosemObject* gas = t.find("0-1:24.3.0");
  ASSERT_TRUE(gas && gas->value());
  EXPECT_EQ(gas->fields.size(), 7u);
  EXPECT_EQ(gas->value()->text, "00001.001");
  EXPECT_EQ(gas->value()->unit, "m3");
  EXPECT_EQ(gas->timestamp->iso8601(), "2016-11-07T19:00:00");  // no S/W flag in DSMR 2.2: no offset
  EXPECT_TRUE(t.find("0-1:24.4.0"));                            // the line after the continuation
}

TEST(Parser, AcceptsThreeDigitAndLowerCaseCrc) {
  const auto unpadded = parse_telegram(telegram_file("ndokter_telegram_unpadded_crc.txt"));
  ASSERT_TRUE(unpadded.ok()) << unpadded.error().to_string();
  EXPECT_EQ(unpadded.telegram().crc, 0x0B9F);

  std::string lower = telegram_file("ndokter_telegram_v5.txt");
  lower.replace(lower.find("!6EEE"), 5, "!6eee");
  const auto result = parse_telegram(lower);
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_EQ(result.telegram().crc, 0x6EEE);
}

TEST(Parser, AcceptsLfOnlyLineEndings) {
  for (const char* name :
       {"ndokter_telegram_v4_2.txt", "ndokter_telegram_v5.txt", "ndokter_telegram_v2_2.txt",
        "ndokter_telegram_fluvius_v171.txt", "ndokter_telegram_unpadded_crc.txt"}) {
    const auto result = parse_telegram(test_data::lf_only(telegram_file(name)));
    EXPECT_TRUE(result.ok()) << name << ": " << result.error().to_string();
  }
  // ... but a changed byte is still caught.
  std::string bad = test_data::lf_only(telegram_file("ndokter_telegram_v4_2.txt"));
  bad.replace(bad.find("001581.123"), 10, "001581.124");
  EXPECT_NE(error_of(bad).find("CRC mismatch"), std::string::npos);
}

TEST(Parser, BuildsTelegramsWithTheTestHelper) {
  const auto result = parse_telegram(with_crc("1-3:0.2.8(50)\r\n1-0:1.8.1(000001.500*kWh)\r\n"));
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_EQ(result.telegram().find("1-0:1.8.1")->value()->number->scaled(3), 1500);
}

// What still rejects a telegram whole (line-level problems: forgiving_parser_test.cpp).
TEST(Parser, ErrorsNameTheLineAndTheProblem) {
  EXPECT_EQ(error_of(""), "empty input: a telegram starts with '/'");
  EXPECT_EQ(error_of("x"), "line 1: a telegram starts with '/', found 'x'");
  EXPECT_EQ(error_of("/ISK5\\2M550T-1012\r\n\r\n1-0:1.8.1(000001.500*kWh)\r\n"),
            "truncated telegram: no '!' end line after line 3");
  EXPECT_EQ(error_of("/ab\r\n\r\n!\r\n"),
            "line 1: header '/ab' is not '/' + a three-letter manufacturer id + identification");
  EXPECT_EQ(error_of("/ISK5\\2M550T-1012\r\n\r\n1-3:0.2.8(50)\r\n!\r\n"),
            "line 4: no CRC after '!', but the telegram declares version 50 and so must carry one");
  EXPECT_EQ(error_of("/ISK5\\2M550T-1012\r\n\r\n!12\r\n"),
            "line 3: the CRC after '!' must be 4 hex digits (3 accepted), found '12'");
  EXPECT_EQ(error_of("/ISK5\\2M550T-1012\r\n\r\n!12G4\r\n"),
            "line 3: the CRC after '!' must be 4 hex digits (3 accepted), found '12G4'");
  EXPECT_EQ(error_of(with_crc("") + "1-0:1.8.1(1*kWh)\r\n"),
            "line 4: unexpected data after the '!' end line: '1-0:1.8.1(1*kWh)'");
  // A telegram none of whose lines can be read: the first problem, and why it is the telegram's end.
  EXPECT_EQ(error_of(with_crc("1-0:1.8.1(000001.500*kWh\r\n")),
            "line 3: '(' at column 10 is never closed (and no other line of the telegram could be read)");
  EXPECT_EQ(
      error_of(with_crc("hello\r\n(1)\r\n")),
      "line 3: 'hello' is not an OBIS line 'A-B:C.D.E(value)' (and no other line of the telegram could be "
      "read)");
}

TEST(Parser, CrcMismatchNamesBothValues) {
  EXPECT_EQ(error_of(telegram_file("ndokter_telegram_v4_2_BADCRC_line_removed.txt")),
            "line 35: CRC mismatch: the telegram says 6796 but its bytes from '/' to '!' give F829");
}

TEST(Parser, CrcCheckCanBeSwitchedOffForMeasurement) {
  ParseOptions options;
  options.verify_crc = false;
  EXPECT_TRUE(parse_telegram(telegram_file("ndokter_telegram_v4_2_BADCRC_line_removed.txt"), options).ok());
}

TEST(Parser, PlaceholderPeakTimestampsAreNotErrors) {
  const auto result = parse_telegram(
      with_crc("0-0:98.1.0(1)(1-0:1.6.0)(1-0:1.6.0)(632525252525W)(632525252525W)(00.000*kW)\r\n"));
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  const CosemObject* history = result.telegram().find("0-0:98.1.0");
  EXPECT_FALSE(history->entries[0].timestamp);
  EXPECT_EQ(history->value()->text, "00.000");
}

TEST(Parser, ObisCodes) {
  EXPECT_TRUE(is_obis_code("1-0:1.8.1"));
  EXPECT_TRUE(is_obis_code("0-0:96.7.21"));
  EXPECT_TRUE(is_obis_code("1-0:1.8.0*255"));
  EXPECT_FALSE(is_obis_code("1-0:1.8"));
  EXPECT_FALSE(is_obis_code("1-0:1.8.1*"));
  EXPECT_FALSE(is_obis_code("1-0:1.8.1 "));
  EXPECT_FALSE(is_obis_code("1234-0:1.8.1"));
  EXPECT_FALSE(is_obis_code(""));
}

// Every prefix of a telegram is rejected (not crashed on), and every single-byte change is either caught or
// harmless.
TEST(Parser, SurvivesEveryPrefixAndEveryByteChange) {
  const std::string text = telegram_file("ndokter_telegram_v5.txt");
  const std::size_t end = text.find('!');
  for (std::size_t n = 0; n <= end; ++n) EXPECT_FALSE(parse_telegram(text.substr(0, n)).ok()) << n;
  int accepted = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    for (const char replacement : {'\0', '(', ')', '*', '!', '/', '\n', '9', 'x'}) {
      std::string changed = text;
      if (changed[i] == replacement) continue;
      changed[i] = replacement;
      accepted += parse_telegram(changed).ok();
    }
  }
  // Changes after the CRC line's digits (the final CR/LF) are the only ones that can pass.
  EXPECT_LE(accepted, 4);
}
