// The hub's log lines on hepek/bridge/log (core/src/log.cpp).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "log.hpp"

namespace {
using hepek::core::bus_log_line;
using hepek::core::Level;

TEST(BusLogLine, CarriesLevelSourceMessageAndTime) {
  EXPECT_EQ(
      bus_log_line(Level::warning, "tariff", "stale prices", "2024-01-01T00:00:00.000Z"),
      R"({"level":"warning","message":"stale prices","source":"tariff","ts":"2024-01-01T00:00:00.000Z"})");
}

// Seen in review while fixing the bridge reply (fuzz_core_bridge_request): error texts can quote bytes
// that are not UTF-8 (a CSV's bad field, a plugin's own message), and the bus sink dumped the log line strictly:
// the dump threw inside whatever code was logging. The line is published with U+FFFD instead.
TEST(BusLogLine, TextThatIsNotUtf8IsPublishedNotThrown) {
  const std::string line = bus_log_line(Level::error, "tariff", "prices.csv:2: time \"\xff\xfe\"", "t");
  const auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["message"], "prices.csv:2: time \"\xEF\xBF\xBD\xEF\xBF\xBD\"");
}
}  // namespace
