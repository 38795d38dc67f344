#include "crc16.hpp"

#include <gtest/gtest.h>

#include "dsmr_test_data.hpp"

using namespace hepek::dsmr;

TEST(Crc16Arc, KnownValues) {
  EXPECT_EQ(crc16_arc("/some !"), 0xA3D4);
  EXPECT_EQ(crc16_arc("123456789"), 0xBB3D);  // the catalogue check value of CRC-16/ARC
  EXPECT_EQ(crc16_arc(""), 0x0000);
}

TEST(Crc16Arc, IsIncremental) {
  EXPECT_EQ(crc16_arc("some !", crc16_arc("/")), crc16_arc("/some !"));
}

TEST(Crc16Arc, CrlfVariantCountsBareLineFeedsAsCrlf) {
  EXPECT_EQ(crc16_arc_as_crlf("/a\nb\n!"), crc16_arc("/a\r\nb\r\n!"));
  EXPECT_EQ(crc16_arc_as_crlf("/a\r\nb\n!"), crc16_arc("/a\r\nb\r\n!"));
}

TEST(Crc16Arc, SharedTelegram) {
  const std::string text = test_data::telegram_file("ndokter_telegram_v4_2.txt");
  EXPECT_EQ(crc16_arc(std::string_view(text).substr(0, text.find('!') + 1)), 0x6796);
}
