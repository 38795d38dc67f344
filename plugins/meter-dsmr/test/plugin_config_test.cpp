// MeterConfig::from_json, the plugin's own check of its table: what it says when a host did not enforce the schema
// (the hub and the fake host refuse a bad enum value before the plugin sees it, with the schema's message).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "plugin_config.hpp"

namespace {

std::string message_of(const nlohmann::json& config) {
  try {
    (void)hepek::dsmr::MeterConfig::from_json(config);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(MeterConfig, AnUnknownSourceIsNamed) {
  EXPECT_EQ(message_of({{"source", "usb"}}), R"(source: "usb" is not "serial", "tcp" or "file")");
}

}  // namespace
