// The built plugin library (hepek-recorder.so), loaded with dlopen and driven through its C ABI by a minimal
// in-process stand-in for the hub: synchronous message delivery, manual timers, a settable clock. It checks
// the glue (descriptor, topics, metadata-driven recording, bad input, bus queries, the CLI command);
// recorder_hub_test covers the same plugin inside the real hub and broker.
#include <dlfcn.h>

#include <cstring>
#include <map>

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <hepek/abi.h>
#include <hepek/entity.hpp>
#include <hepek/topics.hpp>
#include <nlohmann/json.hpp>

#include "temp_dir.hpp"

namespace hepek::recorder {
namespace {

using testing::TempDir;

constexpr int64_t kStart = 1'704'067'200'000;  // 2024-01-01T00:00:00Z

struct StandInHub {
  struct Subscription {
    std::string filter;
    hepek_message_fn callback;
    void* user;
    uint64_t id;
  };
  struct Timer {
    hepek_timer_fn callback;
    void* user;
  };
  std::string id = "recorder";
  std::string data_dir;
  int64_t now = kStart;
  std::vector<Subscription> subscriptions;
  std::map<uint64_t, Timer> timers;
  std::vector<std::pair<std::string, std::string>> published;
  std::vector<std::string> log;
  uint64_t next_id = 1;

  void deliver(const std::string& topic, const std::string& payload, bool retained = false) {
    const auto current = subscriptions;  // a callback may subscribe
    for (const auto& subscription : current)
      if (topics::topic_matches(subscription.filter, topic))
        subscription.callback(subscription.user, topic.c_str(), payload.data(), payload.size(),
                              retained ? 1 : 0);
  }
  void fire_timers() {
    const auto current = timers;
    for (const auto& [id, timer] : current) timer.callback(timer.user);
  }
  nlohmann::json last_json_on(const std::string& topic) const {
    for (auto it = published.rbegin(); it != published.rend(); ++it)
      if (it->first == topic) return nlohmann::json::parse(it->second);
    return nullptr;
  }
  std::size_t warnings() const {
    return std::count_if(log.begin(), log.end(),
                         [](const std::string& line) { return line.rfind("W ", 0) == 0; });
  }

  static StandInHub& of(hepek_host* host) { return *reinterpret_cast<StandInHub*>(host); }
  static hepek_host_api api() {
    hepek_host_api api{};
    api.struct_size = sizeof api;
    api.abi_major = HEPEK_ABI_MAJOR;
    api.abi_minor = HEPEK_ABI_MINOR;
    api.instance_id = [](hepek_host* host) { return of(host).id.c_str(); };
    api.log = [](hepek_host* host, int32_t level, const char* message) {
      of(host).log.push_back(std::string(level >= HEPEK_LOG_WARNING ? "W " : "I ") + message);
    };
    api.publish = [](hepek_host* host, const char* topic, const void* payload, size_t length, int32_t,
                     int32_t) -> int32_t {
      of(host).published.emplace_back(topic, std::string(static_cast<const char*>(payload), length));
      return HEPEK_OK;
    };
    api.subscribe = [](hepek_host* host, const char* filter, int32_t, hepek_message_fn callback, void* user,
                       uint64_t* subscription) -> int32_t {
      auto& hub = of(host);
      *subscription = hub.next_id++;
      hub.subscriptions.push_back({filter, callback, user, *subscription});
      return HEPEK_OK;
    };
    api.unsubscribe = [](hepek_host* host, uint64_t subscription) -> int32_t {
      auto& subscriptions = of(host).subscriptions;
      std::erase_if(subscriptions, [&](const Subscription& s) { return s.id == subscription; });
      return HEPEK_OK;
    };
    api.announce_device = [](hepek_host*, const char*, const char*, hepek_device_command_fn,
                             void*) -> int32_t { return HEPEK_OK; };
    api.now_ms = [](hepek_host* host) { return of(host).now; };
    api.add_timer = [](hepek_host* host, uint64_t, hepek_timer_fn callback, void* user,
                       uint64_t* timer) -> int32_t {
      auto& hub = of(host);
      *timer = hub.next_id++;
      hub.timers[*timer] = {callback, user};
      return HEPEK_OK;
    };
    api.cancel_timer = [](hepek_host* host, uint64_t timer) -> int32_t {
      of(host).timers.erase(timer);
      return HEPEK_OK;
    };
    api.data_dir = [](hepek_host* host) { return of(host).data_dir.c_str(); };
    api.timezone = [](hepek_host*) { return "Europe/Amsterdam"; };
    api.hub_settings_json = [](hepek_host*) {
      return R"({"name":"test","timezone":"Europe/Amsterdam","latitude":52.37,"longitude":4.9,"step_s":900})";
    };
    api.fail = [](hepek_host* host, const char* reason) {
      of(host).log.push_back(std::string("W ") + reason);
    };
    api.key_address = [](hepek_host*, char*, size_t) -> int32_t { return HEPEK_UNAVAILABLE; };
    api.sign_digest = [](hepek_host*, const char*, const uint8_t*, uint8_t*) -> int32_t {
      return HEPEK_UNAVAILABLE;
    };
    api.is_simulation = [](hepek_host*) -> int32_t { return 0; };
    api.chain_endpoint = [](hepek_host*) { return ""; };
    return api;
  }
};

class RecorderPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    library_ = dlopen(HEPEK_RECORDER_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(library_, nullptr) << dlerror();
    const auto entry = reinterpret_cast<hepek_plugin_entry_fn>(dlsym(library_, HEPEK_ENTRY_SYMBOL));
    ASSERT_NE(entry, nullptr);
    descriptor_ = entry(HEPEK_ABI_MAJOR, HEPEK_ABI_MINOR);
    ASSERT_NE(descriptor_, nullptr);
    hub_.data_dir = (dir_.path() / "plugins" / "recorder").string();
    std::filesystem::create_directories(hub_.data_dir);
  }
  void TearDown() override {
    if (instance_) {
      descriptor_->stop(instance_);
      descriptor_->destroy(instance_);
    }
    if (library_) dlclose(library_);
  }

  std::string create(const nlohmann::json& config) {
    char error[512] = {};
    const std::string text = config.dump();
    if (descriptor_->create(&api_, reinterpret_cast<hepek_host*>(&hub_), text.c_str(), &instance_, error,
                            sizeof error) != HEPEK_OK)
      return error;
    if (descriptor_->start(instance_, error, sizeof error) != HEPEK_OK) return error;
    return {};
  }
  void stop() {
    descriptor_->stop(instance_);
    descriptor_->destroy(instance_);
    instance_ = nullptr;
    EXPECT_TRUE(hub_.subscriptions.empty()) << "stop() leaves subscriptions behind";
    EXPECT_TRUE(hub_.timers.empty()) << "stop() leaves timers behind";
    hub_.subscriptions.clear();
    hub_.timers.clear();
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
    return hub_.last_json_on("hepek/recorder/response/" + id);
  }

  TempDir dir_;
  StandInHub hub_;
  hepek_host_api api_ = StandInHub::api();
  void* library_ = nullptr;
  const hepek_plugin* descriptor_ = nullptr;
  hepek_instance* instance_ = nullptr;
};

TEST_F(RecorderPlugin, DescribesItself) {
  EXPECT_STREQ(descriptor_->id, "org.hepek.recorder");
  std::vector<std::pair<std::string, uint32_t>> grants;
  for (uint32_t i = 0; i < descriptor_->topic_count; ++i)
    grants.emplace_back(descriptor_->topics[i].filter, descriptor_->topics[i].access);
  EXPECT_EQ(grants,
            (std::vector<std::pair<std::string, uint32_t>>{{"hepek/+/config", HEPEK_ACCESS_SUBSCRIBE},
                                                           {"hepek/+/state", HEPEK_ACCESS_SUBSCRIBE},
                                                           {"hepek/{id}/request/+", HEPEK_ACCESS_SUBSCRIBE},
                                                           {"hepek/{id}/response/+", HEPEK_ACCESS_PUBLISH}}));
  ASSERT_EQ(descriptor_->command_count, 1u);
  EXPECT_STREQ(descriptor_->commands[0].name, "history export");
  std::vector<std::string> keys;
  for (uint32_t i = 0; i < descriptor_->config_row_count; ++i)
    keys.push_back(descriptor_->config_rows[i].key);
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
  hub_.now = kStart + 20 * 60'000;
  hub_.deliver("hepek/meter/state", R"({"power_import":100})");  // no ts: the hub clock
  EXPECT_EQ(hub_.warnings(), 2u);  // the garbage and the non-number, each naming the device

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
  EXPECT_EQ(hub_.last_json_on("hepek/recorder/response/q4").dump(),
            R"({"error":"request is not valid JSON","ok":false})");
}

TEST_F(RecorderPlugin, BatchesByTimerAndStopAndSkipsRetainedRepeats) {
  ASSERT_EQ(create({{"batch_size", 1000}, {"flush_ms", 1000}}), "");
  announce_meter();
  const std::string state = R"({"ts":"2024-01-01T00:00:00Z","power_import":500})";
  hub_.deliver("hepek/meter/state", state);
  const std::string database = hub_.data_dir + "/recorder.db";
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
  const std::string data_dir = dir_.path().string();
  hepek_command_context context{
      sizeof(hepek_command_context), nullptr, data_dir.c_str(), "{}", nullptr, nullptr};
  std::vector<std::string> args{"history export", "--device", "meter",     "--from",
                                "2024-01-01",     "--to",     "2024-01-02"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  ::testing::internal::CaptureStdout();
  const int code = descriptor_->commands[0].run(&context, static_cast<int>(argv.size()), argv.data());
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 0);
  EXPECT_EQ(out, "time,power_import,energy_import\n2024-01-01T00:00:00Z,500,1\n");
}

}  // namespace
}  // namespace hepek::recorder
