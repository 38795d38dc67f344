// w1_slave texts as the Linux w1_therm driver writes them, and the 1-Wire family ids of thermometers.
#include <gtest/gtest.h>

#include "w1_reading.hpp"

namespace hepek::w1 {
namespace {

TEST(W1Reading, ReadsTheMillidegreesOfAGoodRead) {
  const auto celsius = parse_w1_slave(
      "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n"
      "72 01 4b 46 7f ff 0e 10 57 t=23125\n");
  ASSERT_TRUE(celsius) << celsius.error();
  EXPECT_DOUBLE_EQ(*celsius, 23.125);
  // Below zero (two's complement in the scratchpad; the driver prints the sign), and no final newline.
  const auto frost =
      parse_w1_slave("5e ff 4b 46 7f ff 02 10 3b : crc=3b YES\n5e ff 4b 46 7f ff 02 10 3b t=-10125");
  ASSERT_TRUE(frost) << frost.error();
  EXPECT_DOUBLE_EQ(*frost, -10.125);
}

TEST(W1Reading, RefusesWhatIsNotAMeasurement) {
  struct Case {
    const char* text;
    const char* error_part;
  };
  for (const Case& c : {
           Case{"72 01 4b 46 7f ff 0e 10 57 : crc=a1 NO\n72 01 4b 46 7f ff 0e 10 57 t=23125\n",
                "CRC check failed"},
           Case{"50 05 4b 46 7f ff 0c 10 1c : crc=1c YES\n50 05 4b 46 7f ff 0c 10 1c t=85000\n",
                "power-on reset"},
           Case{"ff ff ff ff ff ff ff ff ff : crc=c9 YES\nff ff ff ff ff ff ff ff ff t=-62\n", ""},
           Case{"72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=200000\n",
                "outside the sensor's range"},
           Case{"72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57\n", "no temperature"},
           Case{"72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 t=2x3\n", "not an integer"},
           Case{"72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 t=\n", "not an integer"},
           Case{"", "no CRC verdict"},
           Case{"\xff\xfe garbage", "no CRC verdict"},
       }) {
    const auto celsius = parse_w1_slave(c.text);
    if (std::string(c.error_part).empty()) {
      // -0.062 °C is a valid (if odd) reading: an all-ones scratchpad is caught by the driver's CRC, not here.
      EXPECT_TRUE(celsius) << c.text;
      continue;
    }
    ASSERT_FALSE(celsius) << c.text;
    EXPECT_NE(celsius.error().find(c.error_part), std::string::npos) << celsius.error();
  }
}

TEST(W1Reading, ErrorsQuoteAShortPrefix) {
  const std::string huge = std::string(10000, 'x') + " crc=00 YES\nt=" + std::string(10000, '9');
  const auto celsius = parse_w1_slave(huge);
  ASSERT_FALSE(celsius);
  EXPECT_LT(celsius.error().size(), 300u) << celsius.error();
}

TEST(W1Reading, KnowsTheThermometerFamilies) {
  for (const char* id : {"28-0316a2793aff", "10-000802b4b1c5", "22-00000001", "3b-0000001a2b3c", "42-0001"})
    EXPECT_TRUE(is_thermometer(id)) << id;
  for (const char* id : {"w1_bus_master1", "1d-000000abcdef", "28-", "28", "", "x28-0316a2793aff"})
    EXPECT_FALSE(is_thermometer(id)) << id;
}

}  // namespace
}  // namespace hepek::w1
