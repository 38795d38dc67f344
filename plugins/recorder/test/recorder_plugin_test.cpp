// The built plugin library (hepek-recorder.so), loaded with dlopen and driven through its C ABI by the SDK's
// fake host (hepek/testing/fake_host.hpp): synchronous message delivery, manual timers, a settable clock. It
// checks the glue (descriptor, topics, metadata-driven recording, bad input, bus queries, the CLI command);
// recorder_hub_test covers the same plugin inside the real hub and broker.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <hepek/abi.h>
#include <hepek/entity.hpp>
#include <hepek/testing/fake_host.hpp>
#include <nlohmann/json.hpp>

namespace hepek::recorder {
namespace {

constexpr int64_t kStart = 1'704'067'200'000;  // 2024-01-01T00:00:00Z

class RecorderPlugin : public ::testing::Test {
 protected:
  void SetUp() override { hub_.set_now_ms(kStart); }

  const hepek_plugin* descriptor() const { return &plugin_.descriptor(); }
  std::string create(const nlohmann::json& config) {
    try {
      instance_ = std::make_unique<hepek::testing::FakeInstance>(plugin_, hub_, config);
      instance_->start();
    } catch (const std::exception& error) {
      return error.what();
    }
    return {};
  }
  void stop() {
    instance_.reset();
    EXPECT_TRUE(hub_.subscriptions().empty()) << "stop() leaves subscriptions behind";
    EXPECT_TRUE(hub_.timers().empty()) << "stop() leaves timers behind";
    hub_.clear_subscriptions_and_timers();
  }
  void announce_meter(bool retained = true) {
    const Device meter{"meter",
                       "Grid meter",
                       {sensor("power_import", "W", "power", "measurement"), energy_counter("energy_import"),
                        text_sensor("tariff")},
                       "test"};
    hub_.deliver("hepek/meter/config", meter.to_json().dump(), retained);
  }
  nlohmann::json ask(const std::string& id, const nlohmann::json& request) {
    hub_.deliver("hepek/recorder/request/" + id, request.dump());
    return last_json_on("hepek/recorder/response/" + id);
  }
  nlohmann::json last_json_on(const std::string& topic) const {
    return hub_.last_json(topic).value_or(nullptr);
  }
  std::size_t warnings() const { return hub_.count_logs(HEPEK_LOG_WARNING); }

  hepek::testing::FakeHost hub_{"recorder"};
  hepek::testing::PluginUnderTest plugin_ =
      hepek::testing::PluginUnderTest::from_library(HEPEK_RECORDER_PLUGIN_PATH);
  std::unique_ptr<hepek::testing::FakeInstance> instance_;
};

TEST_F(RecorderPlugin, DescribesItself) {
  EXPECT_STREQ(descriptor()->id, "org.hepek.recorder");
  std::vector<std::pair<std::string, uint32_t>> grants;
  for (uint32_t i = 0; i < descriptor()->topic_count; ++i)
    grants.emplace_back(descriptor()->topics[i].filter, descriptor()->topics[i].access);
  EXPECT_EQ(grants,
            (std::vector<std::pair<std::string, uint32_t>>{{"hepek/+/config", HEPEK_ACCESS_SUBSCRIBE},
                                                           {"hepek/+/state", HEPEK_ACCESS_SUBSCRIBE},
                                                           {"hepek/{id}/request/+", HEPEK_ACCESS_SUBSCRIBE},
                                                           {"hepek/{id}/response/+", HEPEK_ACCESS_PUBLISH}}));
  ASSERT_EQ(descriptor()->command_count, 1u);
  EXPECT_STREQ(descriptor()->commands[0].name, "history export");
  std::vector<std::string> keys;
  for (uint32_t i = 0; i < descriptor()->config_row_count; ++i)
    keys.push_back(descriptor()->config_rows[i].key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"database", "batch_size", "flush_ms", "keep_raw_days", "max_points"}));
}

TEST_F(RecorderPlugin, RefusesBadConfigWithTheKeyInTheMessage) {
  EXPECT_NE(create({{"batch_size", 0}}).find("batch_size"), std::string::npos);
}

TEST_F(RecorderPlugin, RecordsMetadataDrivenStatesAndAnswersQueries) {
  ASSERT_EQ(create({{"batch_size", 1000}, {"flush_ms", 1000}}), "");
  announce_meter();
  hub_.deliver("hepek/bridge/state", "online", true);  // no metadata: silently not ours
  hub_.deliver("hepek/meter/state",
               R"({"ts":"2024-01-01T00:00:00Z","power_import":500,"energy_import":1000,"tariff":"0001"})");
  hub_.deliver("hepek/meter/state",
               R"({"ts":"2024-01-01T00:05:00Z","power_import":700,"energy_import":1050})");
  hub_.deliver("hepek/meter/state", "{garbage");
  hub_.deliver("hepek/meter/state", R"({"ts":"2024-01-01T00:06:00Z","power_import":"lots"})");
  hub_.set_now_ms(kStart + 20 * 60'000);
  hub_.deliver("hepek/meter/state", R"({"power_import":100})");  // no ts: the hub clock
  EXPECT_EQ(warnings(), 2u);  // the garbage and the non-number, each naming the device

  const auto raw = ask("q1", {{"device", "meter"},
                              {"fields", {"power_import"}},
                              {"from", "2024-01-01T00:00:00Z"},
                              {"to", "2024-01-01T01:00:00Z"},
                              {"resolution", "raw"}});
  EXPECT_EQ(raw.dump(), R"({"device":"meter","ok":true,"resolution":"raw","series":{"power_import":[)"
                        R"(["2024-01-01T00:00:00Z",500.0],["2024-01-01T00:05:00Z",700.0],)"
                        R"(["2024-01-01T00:20:00Z",100.0]]},"stats":{"power_import":"raw"},)"
                        R"("units":{"power_import":"W"}})");
  const auto quarters = ask("q2", {{"device", "meter"},
                                   {"from", "2024-01-01T00:00:00Z"},
                                   {"to", "2024-01-01T01:00:00Z"},
                                   {"resolution", "15m"}});
  ASSERT_EQ(quarters["ok"], true) << quarters.dump();
  EXPECT_EQ(quarters["series"]["power_import"].dump(),
            R"([["2024-01-01T00:00:00Z",600.0],["2024-01-01T00:15:00Z",100.0]])");
  EXPECT_EQ(quarters["series"]["energy_import"].dump(), R"([["2024-01-01T00:00:00Z",1050.0]])");
  EXPECT_FALSE(quarters["series"].contains("tariff"));

  const auto bad =
      ask("q3", {{"device", "meter"}, {"from", "2024-01-01"}, {"to", "2024-01-02"}, {"fields", {"x"}}});
  EXPECT_EQ(
      bad.dump(),
      R"j({"error":"device 'meter' has no recorded field 'x' (recorded: power_import, energy_import)","ok":false})j");
  hub_.deliver("hepek/recorder/request/q4", "not json");
  const auto malformed = last_json_on("hepek/recorder/response/q4");
  EXPECT_EQ(malformed["ok"], false);
  EXPECT_EQ(malformed["error"].get<std::string>().rfind("the request is malformed: not valid JSON", 0), 0u)
      << malformed;
}

TEST_F(RecorderPlugin, LongHistoryComesInPagesFollowedByCursor) {
  EXPECT_NE(create({{"max_points", 10001}}).find("max_points"), std::string::npos);  // a page must fit 1 MiB
  ASSERT_EQ(create({{"max_points", 2}}), "");
  announce_meter();
  for (int i = 0; i < 5; ++i)
    hub_.deliver(
        "hepek/meter/state",
        nlohmann::json{{"ts", "2024-01-01T00:0" + std::to_string(i) + ":00Z"}, {"power_import", i}}.dump());
  nlohmann::json request{{"device", "meter"},
                         {"fields", {"power_import"}},
                         {"from", "2024-01-01T00:00:00Z"},
                         {"to", "2024-01-01T01:00:00Z"}};
  std::vector<double> values;
  for (int page = 0; page < 10; ++page) {
    const auto reply = ask("page" + std::to_string(page), request);
    ASSERT_EQ(reply["ok"], true) << reply;
    for (const auto& point : reply["series"]["power_import"]) values.push_back(point[1].get<double>());
    if (!reply.contains("next")) break;
    request["cursor"] = reply["next"];
  }
  EXPECT_EQ(values, (std::vector<double>{0, 1, 2, 3, 4}));

  request["cursor"] = "1.1.1704067200000.1.0000000000000000";
  const auto forged = ask("forged", request);
  EXPECT_EQ(forged["ok"], false);
  EXPECT_NE(forged["error"].get<std::string>().find("does not fit this query"), std::string::npos) << forged;
  request["limit"] = 3;
  request.erase("cursor");
  EXPECT_NE(ask("limit", request)["error"].get<std::string>().find("from 1 to 2"), std::string::npos);
}

TEST_F(RecorderPlugin, BatchesByTimerAndStopAndSkipsRetainedRepeats) {
  ASSERT_EQ(create({{"batch_size", 1000}, {"flush_ms", 1000}}), "");
  announce_meter();
  const std::string state = R"({"ts":"2024-01-01T00:00:00Z","power_import":500})";
  hub_.deliver("hepek/meter/state", state);
  const std::string database = hub_.data_dir() + "/recorder.db";
  auto stored = [&] {
    SQLite::Database reader(database, SQLite::OPEN_READONLY);
    return reader.execAndGet("SELECT count(*) FROM samples").getInt64();
  };
  EXPECT_EQ(stored(), 0);  // buffered
  hub_.fire_timers();
  EXPECT_EQ(stored(), 1);
  hub_.deliver("hepek/meter/state", state, /*retained=*/true);  // what a re-subscription replays
  hub_.deliver("hepek/meter/state", R"({"power_import":5})", /*retained=*/true);  // stale, no own time
  hub_.deliver("hepek/meter/state", R"({"ts":"2024-01-01T00:01:00Z","power_import":600})");
  stop();
  EXPECT_EQ(stored(), 2);

  // A restart knows the device from the database before its retained config arrives again.
  ASSERT_EQ(create(nlohmann::json::object()), "");
  hub_.deliver("hepek/meter/state", R"({"ts":"2024-01-01T00:02:00Z","power_import":650})");
  stop();
  EXPECT_EQ(stored(), 3);
}

TEST_F(RecorderPlugin, HistoryExportCommandReadsTheInstanceDatabase) {
  ASSERT_EQ(create(nlohmann::json::object()), "");
  announce_meter();
  hub_.deliver("hepek/meter/state", R"({"ts":"2024-01-01T00:00:00Z","power_import":500,"energy_import":1})");
  stop();
  ASSERT_EQ(descriptor()->command_count, 1u);
  ::testing::internal::CaptureStdout();
  const int code =
      plugin_.run_cli(descriptor()->commands[0].name,
                      {"--device", "meter", "--from", "2024-01-01", "--to", "2024-01-02"}, hub_.root_dir());
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 0);
  EXPECT_EQ(out, "time,power_import,energy_import\n2024-01-01T00:00:00Z,500,1\n");
}

}  // namespace
}  // namespace hepek::recorder
