#include <gtest/gtest.h>

#include <hepek/command_validation.hpp>
#include <hepek/interfaces.hpp>

#include "device_metadata.hpp"

using hepek::validate_command;

TEST(BatteryMetadata, CommandSchemaAcceptsSetpointsAndRejectsTheRest) {
  const nlohmann::json metadata = hepek::sim::battery_device("battery", 5000, 4000).to_json();
  EXPECT_EQ(validate_command(metadata, R"({"setpoint_w": -2500, "expires_s": 900})"), "");
  EXPECT_EQ(validate_command(metadata, R"({"setpoint_w": 4000})"), "");
  EXPECT_NE(validate_command(metadata, R"({"setpoint_w": 4500})").find("maximum"), std::string::npos);
  EXPECT_NE(validate_command(metadata, R"({"setpoint_w": -5001})").find("minimum"), std::string::npos);
  EXPECT_NE(validate_command(metadata, R"({"setpoint_w": "full"})").find("number"), std::string::npos);
  EXPECT_NE(validate_command(metadata, R"({"soc": 50})").find("not a writable field"), std::string::npos);
  EXPECT_NE(validate_command(metadata, R"({"expires_s": 0})").find("minimum"), std::string::npos);
}

TEST(BatteryMetadata, ImplementsTheBatteryInterface) {
  const nlohmann::json metadata = hepek::sim::battery_device("battery", 5000, 4000).to_json();
  const auto status = hepek::interfaces::check_implements(metadata, hepek::interfaces::kBattery);
  EXPECT_TRUE(status.ok()) << status.error();
}

TEST(HouseMetadata, ImplementsClimateAndTheOutdoorThermometer) {
  const nlohmann::json climate = hepek::sim::house_climate_device("house").to_json();
  const auto status = hepek::interfaces::check_implements(climate, hepek::interfaces::kClimate);
  EXPECT_TRUE(status.ok()) << status.error();
  EXPECT_EQ(
      validate_command(climate, R"({"target_temperature": 24, "hvac_mode": "cool", "expires_s": 3600})"), "");
  EXPECT_NE(validate_command(climate, R"({"hvac_mode": "dry"})"), "");
  EXPECT_NE(validate_command(climate, R"({"target_temperature": 40})").find("maximum"), std::string::npos);
  const nlohmann::json outdoor = hepek::sim::outdoor_thermometer_device("house-outdoor").to_json();
  const auto sensor =
      hepek::interfaces::check_implements(outdoor, hepek::interfaces::kTemperatureSensor, "outdoor");
  EXPECT_TRUE(sensor.ok()) << sensor.error();
}
