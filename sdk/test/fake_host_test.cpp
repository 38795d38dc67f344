// The SDK's fake host (hepek/testing/fake_host.hpp) checked on a small plugin written with the C++ layer and
// on a hand-made C descriptor: schema checks and defaults as the hub applies them, wildcard delivery, the
// manual clock, command validation and results, the data directory, and refusals.
#include <gtest/gtest.h>

#include <filesystem>

#include <hepek/plugin.hpp>
#include <hepek/testing/fake_host.hpp>

namespace {

using hepek::testing::FakeHost;
using hepek::testing::FakeInstance;
using hepek::testing::PluginUnderTest;
using nlohmann::json;

class Echo : public hepek::Plugin {
 public:
  static std::vector<hepek::ConfigRow> config_schema() {
    return {{"prefix", HEPEK_CONFIG_STRING, "\"echo:\"", false, "Put before every echoed payload"},
            {"period", HEPEK_CONFIG_DURATION, "\"2s\"", false, "State period"},
            {"limit", HEPEK_CONFIG_INTEGER, "", true, "Most echoes"}};
  }
  static std::vector<hepek::CliCommand> cli_commands() {
    return {HEPEK_CLI("echo count", "Count args", count)};
  }
  static int count(const hepek::CommandContext& context, const std::vector<std::string>& args) {
    return static_cast<int>(args.size()) + (context.data_dir.empty() ? 100 : 0);
  }

  Echo(hepek::Host& host, const json& config)
      : Plugin(host),
        prefix_(config.at("prefix")),
        period_s_(config.at("period")),
        limit_(config.at("limit")) {}

  void start() override {
    host().announce({host().id(), "Echo", {hepek::integer_command("level", 0, 10, "")}, "test"},
                    [this](const json& command) -> hepek::CommandResult {
                      if (command.at("level") == 7) return "seven is unlucky";
                      level_ = command.at("level");
                      return {};
                    });
    host().subscribe("in/+/x", [this](const hepek::Message& message) {
      if (echoes_++ < limit_)
        host().publish("hepek/" + host().id() + "/out", prefix_ + std::string(message.payload));
    });
    host().every(static_cast<uint64_t>(period_s_) * 1000, [this] {
      host().publish_state(host().id(), {{"ticks", ++ticks_}, {"level", level_}});
    });
  }
  void step(hepek::Phase phase, int64_t) override {
    if (phase == hepek::Phase::act) host().fail("out of data");
  }

 private:
  std::string prefix_;
  int64_t period_s_;
  int limit_;
  int echoes_ = 0;
  int ticks_ = 0;
  int level_ = 0;
};

}  // namespace

HEPEK_PLUGIN(Echo, "org.example.echo", "0.1.0")

namespace {

const PluginUnderTest& echo() {
  static const PluginUnderTest plugin = PluginUnderTest::from_entry(&hepek_plugin_entry);
  return plugin;
}

std::string refusal(FakeHost& host, const json& config) {
  try {
    FakeInstance instance(echo(), host, config);
  } catch (const std::exception& error) {
    return error.what();
  }
  return "(created)";
}

TEST(FakeHost, ApiTableIsCompleteAndSized) {
  FakeHost host;
  const hepek_host_api* api = host.api();
  EXPECT_EQ(api->struct_size, sizeof(hepek_host_api));
  EXPECT_EQ(api->abi_major, static_cast<uint32_t>(HEPEK_ABI_MAJOR));
  EXPECT_EQ(api->abi_minor, static_cast<uint32_t>(HEPEK_ABI_MINOR));
  // Every slot after the three version fields is a function pointer, and none is left empty.
  const auto* slots = reinterpret_cast<void* const*>(&api->instance_id);
  const std::size_t count = (sizeof(hepek_host_api) - offsetof(hepek_host_api, instance_id)) / sizeof(void*);
  for (std::size_t i = 0; i < count; ++i) EXPECT_NE(slots[i], nullptr) << "host API function #" << i;
}

TEST(FakeHost, ConfigIsCheckedAndCompletedAsTheHubDoes) {
  EXPECT_EQ(echo().validated_config({{"limit", 3}}),
            (json{{"limit", 3}, {"prefix", "echo:"}, {"period", 2}}));
  EXPECT_EQ(echo().validated_config({{"limit", 3}, {"period", "1m30s"}})["period"], 90);
  FakeHost host;
  EXPECT_EQ(refusal(host, json::object()), "missing required key \"limit\"");
  EXPECT_EQ(refusal(host, {{"limit", "many"}}), "\"limit\" must be an integer, got \"many\"");
  EXPECT_EQ(refusal(host, {{"limit", 1}, {"period", "soon"}}),
            "\"period\" must be a duration (integer seconds, or a string such as \"90s\", \"15m\", "
            "\"1h30m\"), got \"soon\"");
  EXPECT_EQ(refusal(host, {{"limit", 1}, {"colour", "red"}}),
            "unknown key \"colour\"; allowed keys: [\"prefix\",\"period\",\"limit\"]");
}

TEST(FakeHost, DeliversByWildcardAndRecordsPublishes) {
  FakeHost host("echo");
  FakeInstance instance(echo(), host, {{"limit", 2}});
  instance.start();
  EXPECT_EQ(host.subscriptions(), std::vector<std::string>{"in/+/x"});
  EXPECT_EQ(host.deliver("in/a/x", "one"), 1u);
  EXPECT_EQ(host.deliver("in/a/y", "no"), 0u);
  EXPECT_EQ(host.deliver("in/b/x", "two"), 1u);
  EXPECT_EQ(host.deliver("in/c/x", "over the limit"), 1u);
  const auto echoes = host.published_on("hepek/echo/out");
  ASSERT_EQ(echoes.size(), 2u);
  EXPECT_EQ(echoes[0].payload, "echo:one");
  EXPECT_EQ(echoes[1].payload, "echo:two");
  // The announcement is recorded first, as a retained config.
  const auto all = host.published();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all[0].topic, "hepek/echo/config");
  EXPECT_TRUE(all[0].retained);
  EXPECT_EQ(host.device_metadata("echo")->at("name"), "Echo");
}

TEST(FakeHost, TimersRunOnTheManualClock) {
  FakeHost host("echo");
  host.set_now_ms(1'704'067'200'000);  // 2024-01-01T00:00:00Z
  FakeInstance instance(echo(), host, {{"limit", 1}, {"period", 2}});
  instance.start();
  ASSERT_EQ(host.timers().size(), 1u);
  EXPECT_EQ(host.timers()[0].period_ms, 2000u);
  host.advance(1999);
  EXPECT_TRUE(host.states("echo").empty());
  host.advance(3001);  // 2 s and 4 s: two ticks, each stamped with the clock at its due time
  const auto states = host.states("echo");
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(json::parse(states[1])["ticks"], 2);
  EXPECT_EQ(json::parse(states[0])["ts"], "2024-01-01T00:00:02.000Z");
  EXPECT_EQ(json::parse(states[1])["ts"], "2024-01-01T00:00:04.000Z");
  EXPECT_EQ(host.now_ms(), 1'704'067'205'000);
  host.fire_timers();
  EXPECT_EQ(host.last_state("echo")->at("ticks"), 3);
}

TEST(FakeHost, CommandsAreValidatedAgainstTheAnnouncedSchema) {
  FakeHost host("echo");
  FakeInstance instance(echo(), host, {{"limit", 1}});
  instance.start();
  const json accepted = host.command("echo", R"({"level":3})");
  EXPECT_EQ(accepted["ok"], true);
  EXPECT_EQ(accepted["command"], (json{{"level", 3}}));
  EXPECT_EQ(host.command("echo", R"({"level":11})")["error"], "\"level\": 11 is above the maximum 10.0");
  EXPECT_EQ(host.command("echo", R"({"volume":1})")["error"],
            "\"volume\" is not a writable field of this device; writable fields: level");
  EXPECT_EQ(host.command("echo", R"({"level":7})")["error"], "seven is unlucky");
  // Through the bus topic, answered on /set/result.
  EXPECT_EQ(host.deliver("hepek/echo/set", "not json"), 1u);
  const auto result = host.last_json("hepek/echo/set/result");
  ASSERT_TRUE(result);
  EXPECT_EQ((*result)["ok"], false);
  EXPECT_EQ((*result)["error"].get<std::string>().rfind("malformed JSON: not valid JSON: ", 0), 0u)
      << *result;
  host.fire_timers();
  EXPECT_EQ(host.last_state("echo")->at("level"), 3);
}

TEST(FakeHost, StepsFailuresCliAndDataDir) {
  std::string root;
  {
    FakeHost host("echo");
    root = host.root_dir();
    EXPECT_TRUE(std::filesystem::is_directory(host.data_dir()));
    EXPECT_EQ(host.data_dir(), root + "/plugins/echo");
    FakeInstance instance(echo(), host, {{"limit", 1}});
    instance.full_step(1'000);
    EXPECT_EQ(host.now_ms(), 1'000);
    EXPECT_EQ(host.failure(), "out of data");
    EXPECT_TRUE(host.logged(HEPEK_LOG_ERROR, "out of data"));
    EXPECT_EQ(echo().run_cli("echo count", {"a", "b", "c"}, host.root_dir()), 3);
    EXPECT_THROW(echo().run_cli("echo nothing", {}), std::runtime_error);
  }
  EXPECT_FALSE(std::filesystem::exists(root));
}

// A plugin written in C against ABI 1.1: constraint rows (enum, bounds, role scoping) are applied.
const char* const kModes[] = {"fast", "slow", nullptr};
const hepek_config_row kRows[] = {{"mode", HEPEK_CONFIG_STRING, "\"fast\"", 0, "mode"},
                                  {"level", HEPEK_CONFIG_INTEGER, "5", 0, "level"},
                                  {"role", HEPEK_CONFIG_STRING, "\"member\"", 0, "role"},
                                  {"operator_key", HEPEK_CONFIG_STRING, nullptr, 1, "operator only"}};
const hepek_config_constraint kConstraints[] = {
    {"mode", kModes, 0, 0, 0, nullptr},
    {"level", nullptr, 0, 10,
     HEPEK_CONSTRAINT_MINIMUM | HEPEK_CONSTRAINT_MAXIMUM | HEPEK_CONSTRAINT_EXCLUSIVE_MINIMUM, nullptr},
    {"operator_key", nullptr, 0, 0, 0, "role=operator"}};

hepek_plugin c_descriptor() {
  hepek_plugin plugin{};
  plugin.struct_size = sizeof plugin;
  plugin.abi_major = HEPEK_ABI_MAJOR;
  plugin.abi_minor = HEPEK_ABI_MINOR;
  plugin.id = "org.example.c";
  plugin.config_rows = kRows;
  plugin.config_row_count = 4;
  plugin.config_constraints = kConstraints;
  plugin.config_constraint_count = 3;
  plugin.config_constraint_size = sizeof(hepek_config_constraint);
  return plugin;
}

std::string problems_of(const PluginUnderTest& plugin, const json& config) {
  try {
    return plugin.validated_config(config).dump();
  } catch (const std::exception& error) {
    return error.what();
  }
}

TEST(FakeHost, ConstraintRowsOfAbi11AreApplied) {
  const hepek_plugin descriptor = c_descriptor();
  const auto plugin = PluginUnderTest::from_descriptor(&descriptor);
  EXPECT_EQ(problems_of(plugin, json::object()), R"({"level":5,"mode":"fast","role":"member"})");
  EXPECT_EQ(
      problems_of(plugin, {{"mode", "medium"}, {"level", 0}}),
      "\"mode\" must be one of [\"fast\",\"slow\"], got \"medium\"\n\"level\": 0 is below the minimum 0.0");
  EXPECT_EQ(problems_of(plugin, {{"level", 11}}), "\"level\": 11 is above the maximum 10.0");
  EXPECT_EQ(problems_of(plugin, {{"operator_key", "k"}}),
            "\"operator_key\" belongs only to instances with role=operator");
  EXPECT_EQ(problems_of(plugin, {{"role", "operator"}}), "missing required key \"operator_key\"");
  EXPECT_EQ(problems_of(plugin, {{"role", "operator"}, {"operator_key", "k"}}),
            R"({"level":5,"mode":"fast","operator_key":"k","role":"operator"})");
}

TEST(FakeHost, RefusesWhatTheHubRefuses) {
  EXPECT_THROW(PluginUnderTest::from_entry([](uint32_t, uint32_t) -> const hepek_plugin* { return nullptr; }),
               std::runtime_error);
  hepek_plugin other_major = c_descriptor();
  other_major.abi_major = HEPEK_ABI_MAJOR + 1;
  EXPECT_THROW(PluginUnderTest::from_descriptor(&other_major), std::runtime_error);
  EXPECT_THROW(PluginUnderTest::from_library("/nonexistent/hepek-nothing.so"), std::runtime_error);
  FakeHost host;
  EXPECT_EQ(host.api()->publish(host.handle(), "hepek/test/#", "x", 1, 1, 0), HEPEK_INVALID);
  uint8_t digest[32] = {}, signature[65] = {};
  EXPECT_EQ(host.api()->sign_digest(host.handle(), "balance-proof", digest, signature), HEPEK_UNAVAILABLE);
}

}  // namespace
