// The recorder inside the real hub: `hepek run` with the embedded Mosquitto, the SDK's hello-meter as the
// device and the recorder; a history query over the bus (admin account, libmosquitto) while it runs, and
// `hepek history export` after it stopped.
#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <hepek/timeseries/iso8601.hpp>
#include "test_support.hpp"

namespace hepek::recorder {
namespace {

using namespace std::chrono_literals;
namespace t = hepek::testing;

TEST(RecorderInHub, RecordsAHubDeviceAndAnswersOnTheBusAndTheCli) {
  HEPEK_REQUIRE_HUB();
  t::TempDir dir;
  const int port = t::free_port();
  const std::string data_dir = dir.file("data");
  const std::string config =
      t::write_config(dir.path(), port,
                      "[[plugin]]\nid = \"hello\"\ntype = \"hello-meter\"\n"
                      "interval_ms = 100\npower_w = 420.0\n"
                      "[[plugin]]\nid = \"recorder\"\ntype = \"recorder\"\nflush_ms = 200\n");
  const int64_t started_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();

  t::HubProcess hub(config, data_dir, {"--for", "60s"});  // stopped by SIGTERM below
  std::this_thread::sleep_for(2s);                        // broker up, a few readings recorded
  auto admin = t::connect_account(data_dir, port, "admin", "admin-recorder-test", 15000);
  const bool admin_connected = admin != nullptr;
  std::optional<nlohmann::json> response;
  if (admin) {
    const nlohmann::json request = {{"device", "hello"},
                                    {"fields", {"power"}},
                                    {"from", hepek::timeseries::format_iso8601_ms(started_ms - 60'000)},
                                    {"to", hepek::timeseries::format_iso8601_ms(started_ms + 600'000)}};
    const auto reply =
        admin->request("hepek/recorder/request/t1", request.dump(), "hepek/recorder/response/t1");
    if (reply) response = nlohmann::json::parse(reply->payload, nullptr, false);
  }
  std::this_thread::sleep_for(500ms);  // a few more readings that only the final flush writes
  admin.reset();
  hub.terminate();
  const std::string hub_log = hub.log();
  ASSERT_EQ(hub.wait(0), 0) << hub_log;
  ASSERT_TRUE(admin_connected) << "the admin account never connected\n" << hub_log;

  ASSERT_TRUE(response.has_value()) << "no response on the bus\n" << hub_log;
  ASSERT_EQ((*response)["ok"], true) << response->dump();
  const auto& points = (*response)["series"]["power"];
  EXPECT_GE(points.size(), 10u) << response->dump();
  for (const auto& point : points) EXPECT_EQ(point[1], 420.0);

  const std::string csv_file = dir.file("power.csv");
  const auto exported =
      t::run_hepek({"--config", config, "--data-dir", data_dir, "history", "export", "--device", "hello",
                    "--from", hepek::timeseries::format_iso8601_ms(started_ms - 60'000), "--to",
                    hepek::timeseries::format_iso8601_ms(started_ms + 600'000), "--fields",
                    "power,energy_import", "--output", csv_file});
  ASSERT_EQ(exported.exit_code, 0) << exported.out << exported.err;
  std::ifstream csv(csv_file);
  std::string line;
  ASSERT_TRUE(std::getline(csv, line));
  EXPECT_EQ(line, "time,power,energy_import");
  std::size_t rows = 0;
  while (std::getline(csv, line)) {
    ++rows;
    EXPECT_EQ(line.substr(line.find(',') + 1, 4), "420,") << line;
  }
  EXPECT_GT(rows, points.size());  // the later readings too, flushed at stop
}

}  // namespace
}  // namespace hepek::recorder
