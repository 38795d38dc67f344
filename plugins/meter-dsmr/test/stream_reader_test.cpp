#include "stream_reader.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "dsmr_test_data.hpp"

using namespace hepek::dsmr;
using hepek::dsmr::test_data::lf_only;
using hepek::dsmr::test_data::telegram_file;

namespace {

struct Outcome {
  std::vector<std::string>
      headers_and_crcs;  // accepted telegrams, identified by header + first energy reading
  std::vector<std::string> errors;
  std::size_t garbage = 0;
};

std::string identify(const Telegram& telegram) {
  const CosemObject* energy = telegram.find("1-0:1.8.1");
  return telegram.header + " " + (energy && energy->value() ? energy->value()->text : "-");
}

Outcome read_in_chunks(const std::string& stream, std::size_t chunk) {
  TelegramStreamReader reader;
  Outcome outcome;
  auto take = [&](std::vector<StreamEvent> events) {
    for (auto& event : events) {
      if (event.ok())
        outcome.headers_and_crcs.push_back(identify(*event.telegram));
      else
        outcome.errors.push_back(event.describe_error());
    }
  };
  for (std::size_t pos = 0; pos < stream.size(); pos += chunk) take(reader.feed(stream.substr(pos, chunk)));
  take(reader.finish());
  outcome.garbage = reader.garbage_bytes();
  return outcome;
}

const std::string kV42 = "/KFM5KAIFA-METER 001581.123";
const std::string kV5 = "/ISk5\\2MT382-1000 000004.426";
const std::string kFluvius = "/FLU5\\253769484_A 000000.034";
const std::string kV22 = "/ISk5\\2MT382-1004 00001.001";

}  // namespace

TEST(StreamReader, GarbageCutOffTelegramsAndLfOnlyEndingsYieldExactlyTheValidTelegrams) {
  const std::string v42 = telegram_file("ndokter_telegram_v4_2.txt");
  const std::string v5 = telegram_file("ndokter_telegram_v5.txt");
  const std::string fluvius = telegram_file("ndokter_telegram_fluvius_v171.txt");
  const std::string v22 = telegram_file("ndokter_telegram_v2_2.txt");
  const std::string stream =
      std::string("\x00\xff\x13garbage!1234\r\n(noise)*kWh\r\n",
                  27) +  // line noise before the first telegram
      v42 +              // valid, CRLF
      v5.substr(0, v5.size() / 2) +
      "\r\n" +                                                        // cut off at a line boundary
      lf_only(v5) +                                                   // valid, LF-only
      "x/y:z\r\n" +                                                   // noise with a '/' in it
      fluvius +                                                       // valid
      v42.substr(0, 300) +                                            // cut off inside a line
      lf_only(v22) +                                                  // valid, no CRC, LF-only
      telegram_file("ndokter_telegram_v5_BADCRC_line_removed.txt") +  // complete, bad CRC
      v42 +                                                           // valid
      v5.substr(0, 200);                                              // the stream ends mid-telegram
  for (const std::size_t chunk :
       {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{1000}, stream.size()}) {
    const Outcome outcome = read_in_chunks(stream, chunk);
    EXPECT_EQ(outcome.headers_and_crcs, (std::vector<std::string>{kV42, kV5, kFluvius, kV22, kV42}))
        << "chunk " << chunk;
    ASSERT_EQ(outcome.errors.size(), 5u) << "chunk " << chunk;
    EXPECT_NE(outcome.errors[0].find("truncated"), std::string::npos) << outcome.errors[0];
    EXPECT_NE(outcome.errors[1].find("truncated"), std::string::npos)
        << outcome.errors[1];  // the "/y:z" noise
    EXPECT_NE(outcome.errors[2].find("truncated"), std::string::npos) << outcome.errors[2];
    EXPECT_NE(outcome.errors[3].find("CRC mismatch"), std::string::npos) << outcome.errors[3];
    EXPECT_NE(outcome.errors[4].find("truncated"), std::string::npos) << outcome.errors[4];
    EXPECT_GT(outcome.garbage, 0u);
  }
}

TEST(StreamReader, ErrorLinesAreCountedInTheStream) {
  const std::string stream = telegram_file("ndokter_telegram_v4_2.txt") +
                             telegram_file("ndokter_telegram_v4_2_BADCRC_line_removed.txt");
  const Outcome outcome = read_in_chunks(stream, stream.size());
  ASSERT_EQ(outcome.errors.size(), 1u);
  // The bad telegram starts on stream line 37; its '!' line is its line 35.
  EXPECT_EQ(outcome.errors[0],
            "line 71: CRC mismatch: the telegram says 6796 but its bytes from '/' to '!' give F829");
}

TEST(StreamReader, HeaderAfterNoiseOnTheSameLineStartsTheTelegram) {
  const std::string stream = "/noise/more" + telegram_file("ndokter_telegram_v5.txt");
  const Outcome outcome = read_in_chunks(stream, 5);
  EXPECT_EQ(outcome.headers_and_crcs, std::vector<std::string>{kV5});
  EXPECT_TRUE(outcome.errors.empty());
}

TEST(StreamReader, TelegramWithoutFinalLineFeedCompletesAtTheEnd) {
  std::string text = telegram_file("ndokter_telegram_v4_2.txt");
  text.resize(text.size() - 2);  // drop the final CRLF
  const Outcome outcome = read_in_chunks(text, 10);
  EXPECT_EQ(outcome.headers_and_crcs, std::vector<std::string>{kV42});
}

TEST(StreamReader, OversizedFrameIsDroppedAndTheReaderResynchronises) {
  ParseOptions options;
  options.max_bytes = 2048;
  TelegramStreamReader reader(options);
  std::string noise = "/XYZ5 endless\r\n";
  for (int i = 0; i < 200; ++i) noise += "1-0:1.8.1(000001.000*kWh)\r\n";
  auto events = reader.feed(noise + telegram_file("ndokter_telegram_v5.txt"));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_FALSE(events[0].ok());
  EXPECT_NE(events[0].describe_error().find("longer than 2048 bytes"), std::string::npos);
  EXPECT_TRUE(events[1].ok());
}

TEST(StreamReader, ManyHeaderLikeSlashesInOneFrameStayCheap) {
  std::string frame = "/KFM5KAIFA-METER\r\n\r\n1-0:1.8.1(";
  while (frame.size() < 60000) frame += "/ABC";
  frame += ")\r\n!0000\r\n";
  const auto start = std::chrono::steady_clock::now();
  TelegramStreamReader reader;
  const auto events = reader.feed(frame);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0].ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}
