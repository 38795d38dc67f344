#include <gtest/gtest.h>

#include "switch_payload.hpp"

using hepek::relay::parse_switch_state;

TEST(SwitchPayload, TasmotaAndShellyForms) {
  EXPECT_EQ(parse_switch_state("ON", "ON", "OFF"), true);
  EXPECT_EQ(parse_switch_state("off\n", "ON", "OFF"), false);             // Shelly Gen1 relay/0, any case
  EXPECT_EQ(parse_switch_state(R"({"POWER":"ON"})", "ON", "OFF"), true);  // Tasmota stat/x/RESULT
  EXPECT_EQ(parse_switch_state(R"({"id":0,"output":false})", "ON", "OFF"), false);  // Shelly Gen2 status
  EXPECT_EQ(parse_switch_state("1", "1", "0"), true);                               // custom payloads
  EXPECT_FALSE(parse_switch_state("TOGGLE", "ON", "OFF").has_value());
  EXPECT_FALSE(parse_switch_state(R"({"Wifi":{}})", "ON", "OFF").has_value());
  EXPECT_FALSE(parse_switch_state("", "ON", "OFF").has_value());
}
