// The recorder inside the real hub: `hepek run` with the embedded Mosquitto, the SDK's hello-meter as the
// device and the recorder; a history query over the bus (admin account, libmosquitto) while it runs, and
// `hepek history export` after it stopped. And a year of 15-minute history (four series, written by the recorder's
// own store) fetched through the broker page by page, following the cursors.
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <tuple>

#include <hepek/json_limits.hpp>
#include <hepek/timeseries/iso8601.hpp>
#include "recorder_store.hpp"
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

// A year at 15-minute steps: 35,040 points a series. Values with long decimals, distinct in every series and step,
// so that a point returned twice, lost or out of order shows.
constexpr int64_t kYearPoints = 365 * 96;
constexpr int64_t kStepMs = 900'000;
double value_of(std::size_t series, int64_t step) {
  return static_cast<double>(series) * 1e6 + static_cast<double>(step) + 1.0 / 7.0;
}

// Every page of `request` (the recorder's cursor followed until there is no "next"), points appended per field.
struct Fetched {
  std::map<std::string, std::vector<std::pair<std::string, double>>> series;
  std::size_t pages = 0;
  std::size_t largest_reply = 0;
  std::string error;
};
Fetched fetch_all(t::MqttClient& admin, nlohmann::json request, const std::string& id) {
  Fetched fetched;
  for (;;) {
    const std::string topic_id = id + "-" + std::to_string(fetched.pages);
    const auto reply = admin.request("hepek/recorder/request/" + topic_id, request.dump(),
                                     "hepek/recorder/response/" + topic_id, 10000);
    if (!reply) {
      fetched.error = "no reply to page " + std::to_string(fetched.pages);
      return fetched;
    }
    ++fetched.pages;
    fetched.largest_reply = std::max(fetched.largest_reply, reply->payload.size());
    const auto page = nlohmann::json::parse(reply->payload);
    if (page.value("ok", false) != true) {
      fetched.error = page.dump();
      return fetched;
    }
    for (const auto& [field, points] : page["series"].items())
      for (const auto& point : points) fetched.series[field].emplace_back(point[0], point[1]);
    if (!page.contains("next")) return fetched;
    request["cursor"] = page["next"];
  }
}

TEST(RecorderInHub, AYearOfQuarterHoursForSeveralSeriesComesInPagesUnderTheMessageLimit) {
  HEPEK_REQUIRE_HUB();
  t::TempDir dir;
  const int port = t::free_port();
  const std::string data_dir = dir.file("data");
  const std::string plugin_dir = data_dir + "/plugins/recorder";
  std::filesystem::create_directories(plugin_dir);
  for (const std::string& path : {data_dir, data_dir + "/plugins", plugin_dir}) ::chmod(path.c_str(), 0700);

  const std::vector<std::string> fields{"power", "energy", "soc", "temperature"};
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  const int64_t first_ms = (now_ms - kYearPoints * kStepMs) / kStepMs * kStepMs;
  {  // written by the recorder's own store, as the plugin writes what it records
    RecorderStore store(plugin_dir + "/recorder.db", {.batch_size = 50000});
    const auto metadata =
        parse_device_metadata("home", R"({"schema":1,"device":"home","name":"Home","entities":[
        {"field":"power","unit":"W","state_class":"measurement"},
        {"field":"energy","unit":"Wh","state_class":"total_increasing"},
        {"field":"soc","unit":"%","state_class":"measurement"},
        {"field":"temperature","unit":"°C","state_class":"measurement"}]})");
    ASSERT_TRUE(metadata) << metadata.error();
    store.upsert_device(metadata.value(), now_ms);
    for (std::size_t series = 0; series < fields.size(); ++series)
      for (int64_t step = 0; step < kYearPoints; ++step)
        store.add({"home", fields[series], first_ms + step * kStepMs, value_of(series, step)});
    store.flush();
  }

  const std::string config = t::write_config(
      dir.path(), port, "[[plugin]]\nid = \"recorder\"\ntype = \"recorder\"\nkeep_raw_days = 400\n");
  t::HubProcess hub(config, data_dir);
  auto admin = t::connect_account(data_dir, port, "admin", "admin-paging-test", 15000);
  ASSERT_TRUE(admin) << hub.log();
  admin->subscribe("hepek/recorder/response/#");
  admin->subscribe("hepek/bridge/info");
  ASSERT_TRUE(admin->wait_for(
      "hepek/bridge/info",
      [](const t::Received& m) { return m.payload.find(R"("state":"running")") != std::string::npos; },
      15000))
      << hub.log();  // the recorder is subscribed to its request topic
  const nlohmann::json year{{"device", "home"},
                            {"from", hepek::timeseries::format_iso8601_ms(first_ms)},
                            {"to", hepek::timeseries::format_iso8601_ms(first_ms + kYearPoints * kStepMs)}};
  for (const char* resolution : {"15m", "raw"}) {
    nlohmann::json request = year;
    request["resolution"] = resolution;
    const auto started = std::chrono::steady_clock::now();
    const Fetched fetched = fetch_all(*admin, request, resolution);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(fetched.error.empty()) << resolution << ": " << fetched.error << "\n" << hub.log();
    ASSERT_EQ(fetched.series.size(), fields.size());
    for (std::size_t series = 0; series < fields.size(); ++series) {
      const auto& points = fetched.series.at(fields[series]);
      ASSERT_EQ(points.size(), static_cast<std::size_t>(kYearPoints)) << resolution << " " << fields[series];
      for (int64_t step = 0; step < kYearPoints; ++step) {
        const auto& [time, value] = points[static_cast<std::size_t>(step)];
        ASSERT_EQ(time, hepek::timeseries::format_iso8601_ms(first_ms + step * kStepMs))
            << resolution << " " << fields[series] << " step " << step;
        ASSERT_EQ(value, value_of(series, step)) << resolution << " " << fields[series] << " step " << step;
      }
    }
    EXPECT_LT(fetched.largest_reply, hepek::json_limits::kMaxBytes);
    EXPECT_LE(fetched.largest_reply, 600u * 1000u);
    EXPECT_EQ(fetched.pages, static_cast<std::size_t>((4 * kYearPoints + 9999) / 10000));
    std::printf(
        "%s: %lld points in %zu pages, largest reply %zu bytes, %lld ms through the broker\n", resolution,
        static_cast<long long>(4 * kYearPoints), fetched.pages, fetched.largest_reply,
        static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
  }

  // A cursor that is not one, or belongs to another query: a clear error, not rows.
  nlohmann::json request = year;
  request["resolution"] = "15m";
  auto first = admin->request("hepek/recorder/request/c1", request.dump(), "hepek/recorder/response/c1");
  ASSERT_TRUE(first);
  const std::string next = nlohmann::json::parse(first->payload).at("next");
  for (const auto& [cursor, resolution, error] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"garbage", "15m", "not one this recorder issued"},
           {next + "0", "15m", "not one this recorder issued"},
           {next, "1h", "does not fit this query"}}) {
    request["cursor"] = cursor;
    request["resolution"] = resolution;
    const auto reply =
        admin->request("hepek/recorder/request/bad", request.dump(), "hepek/recorder/response/bad");
    ASSERT_TRUE(reply) << hub.log();
    const auto json = nlohmann::json::parse(reply->payload);
    EXPECT_EQ(json["ok"], false) << reply->payload.substr(0, 300);
    EXPECT_NE(json.value("error", "").find(error), std::string::npos) << json.value("error", "");
  }
  EXPECT_TRUE(hub.running());
}

}  // namespace
}  // namespace hepek::recorder
