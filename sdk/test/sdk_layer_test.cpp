// The SDK's C++ layer against host API tables of chosen sizes: a table as the first ABI 1.0 hubs had it (ending at
// chain_endpoint) and a current one. A table of our own is the point here (the hub always hands the current one),
// so this file defines its own small one; plugin tests use the test kit's fake host instead.
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <hepek/plugin.hpp>

// The test's host handle: what the table's functions record.
struct hepek_host {
  std::mutex mutex;
  std::vector<std::pair<hepek_message_fn, void*>> subscriptions;
  std::vector<std::pair<hepek_timer_fn, void*>> timers;
  hepek_device_command_fn command = nullptr;
  void* command_user = nullptr;
  std::vector<std::string> logs;
  std::string failed;
  uint64_t next_id = 1;
};

namespace {

const char* instance_id(hepek_host*) {
  return "unit";
}
void log(hepek_host* host, int32_t, const char* message) {
  std::lock_guard lock(host->mutex);
  host->logs.emplace_back(message);
}
int32_t publish(hepek_host*, const char* topic, const void*, size_t, int32_t, int32_t) {
  return std::string(topic).rfind("hepek/unit/", 0) == 0 ? HEPEK_OK : HEPEK_DENIED;
}
int32_t subscribe(hepek_host* host, const char*, int32_t, hepek_message_fn callback, void* user,
                  uint64_t* id) {
  std::lock_guard lock(host->mutex);
  host->subscriptions.emplace_back(callback, user);
  *id = host->next_id++;
  return HEPEK_OK;
}
int32_t unsubscribe(hepek_host*, uint64_t) {
  return HEPEK_INVALID;
}
int32_t announce(hepek_host* host, const char*, const char*, hepek_device_command_fn handler, void* user) {
  host->command = handler;
  host->command_user = user;
  return HEPEK_OK;
}
int64_t now_ms(hepek_host*) {
  return 1'700'000'000'000;
}
int32_t add_timer(hepek_host* host, uint64_t period_ms, hepek_timer_fn callback, void* user, uint64_t* id) {
  if (period_ms == 0) return HEPEK_INVALID;
  std::lock_guard lock(host->mutex);
  host->timers.emplace_back(callback, user);
  *id = host->next_id++;
  return HEPEK_OK;
}
int32_t cancel_timer(hepek_host*, uint64_t) {
  return HEPEK_OK;
}
const char* data_dir(hepek_host*) {
  return "/tmp";
}
const char* timezone(hepek_host*) {
  return "Europe/Amsterdam";
}
int32_t key_address(hepek_host*, char*, size_t) {
  return HEPEK_UNAVAILABLE;
}
int32_t sign_digest(hepek_host*, const char*, const uint8_t*, uint8_t*) {
  return HEPEK_DENIED;
}
int32_t is_simulation(hepek_host*) {
  return 1;
}
const char* chain_endpoint(hepek_host*) {
  return "";
}
uint64_t random_seed(hepek_host*) {
  return 42;
}
const char* hub_settings_json(hepek_host*) {
  return R"({"name":"unit","timezone":"Europe/Amsterdam","latitude":52.0,"longitude":5.0,"step_s":900})";
}
void fail(hepek_host* host, const char* reason) {
  host->failed = reason;
}

// A complete table, then truncated to `size` bytes as an older hub would have it (the rest zeroed).
hepek_host_api table(size_t size = sizeof(hepek_host_api)) {
  hepek_host_api api{};
  api.abi_major = 1;
  api.instance_id = instance_id;
  api.log = log;
  api.publish = publish;
  api.subscribe = subscribe;
  api.unsubscribe = unsubscribe;
  api.announce_device = announce;
  api.now_ms = now_ms;
  api.add_timer = add_timer;
  api.cancel_timer = cancel_timer;
  api.data_dir = data_dir;
  api.timezone = timezone;
  api.key_address = key_address;
  api.sign_digest = sign_digest;
  api.is_simulation = is_simulation;
  api.chain_endpoint = chain_endpoint;
  api.random_seed = random_seed;
  api.hub_settings_json = hub_settings_json;
  api.fail = fail;
  hepek_host_api truncated{};
  std::memcpy(&truncated, &api, size);
  truncated.struct_size = static_cast<uint32_t>(size);
  return truncated;
}

constexpr size_t kFirst10Size =
    offsetof(hepek_host_api, random_seed);  // the first 1.0 table ends at chain_endpoint

TEST(HostApiVersions, OnAFirstAbi10HubTheAppendedFunctionsFallBackOrSaySo) {
  const hepek_host_api api = table(kFirst10Size);
  hepek_host raw;
  hepek::Host host(&api, &raw);
  ASSERT_FALSE(HEPEK_HOST_API_HAS(&api, random_seed));
  // random_seed: a hash of the instance id, reproducible.
  EXPECT_EQ(host.random_seed(), hepek::Host(&api, &raw).random_seed());
  EXPECT_NE(host.random_seed(), 42u);
  // hub_settings: a clear error naming the missing function, never a call through a zeroed pointer.
  try {
    (void)host.hub_settings();
    FAIL() << "hub_settings() on a host without it must throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("has no hub_settings_json(); upgrade the hub"), std::string::npos)
        << e.what();
  }
  // fail: logged as an error with the reason.
  host.fail("the data ran out");
  ASSERT_EQ(raw.logs.size(), 1u);
  EXPECT_NE(raw.logs[0].find("cannot go on: the data ran out"), std::string::npos) << raw.logs[0];
  EXPECT_TRUE(raw.failed.empty());
}

TEST(HostApiVersions, OnACurrentHubTheAppendedFunctionsAreCalled) {
  const hepek_host_api api = table();
  hepek_host raw;
  hepek::Host host(&api, &raw);
  EXPECT_EQ(host.random_seed(), 42u);
  EXPECT_EQ(host.hub_settings()["step_s"], 900);
  host.fail("the data ran out");
  EXPECT_EQ(raw.failed, "the data ran out");
}

TEST(HostApiVersions, ATableTooSmallForAbi10IsRefusedWithAReason) {
  const hepek_host_api api = table(offsetof(hepek_host_api, chain_endpoint));
  hepek_host raw;
  try {
    hepek::Host host(&api, &raw);
    FAIL() << "a table without chain_endpoint must be refused";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("too small"), std::string::npos) << e.what();
  }
  EXPECT_THROW(hepek::Host(nullptr, &raw), std::invalid_argument);
}

TEST(HostErrors, PublishSignAndAddressSayWhatWasRefusedAndHow) {
  const hepek_host_api api = table();
  hepek_host raw;
  hepek::Host host(&api, &raw);
  EXPECT_TRUE(host.publish("hepek/unit/state", "{}").ok());
  const hepek::Status denied = host.publish("hepek/other/state", "{}");
  EXPECT_FALSE(denied.ok());
  EXPECT_EQ(denied.code(), HEPEK_DENIED);
  EXPECT_TRUE(denied != HEPEK_OK);  // SDK 1.0 callers compared the int
  EXPECT_NE(denied.error().find("publishing to \"hepek/other/state\" was refused: denied"), std::string::npos)
      << denied.error();
  uint8_t digest[32] = {};
  const auto signature = host.sign("balance-proof", digest);
  ASSERT_FALSE(signature.ok());
  EXPECT_NE(signature.error().find("grants = [\"balance-proof\"]"), std::string::npos) << signature.error();
  const auto address = host.key_store_address();
  ASSERT_FALSE(address.ok());
  EXPECT_NE(address.error().find("unavailable"), std::string::npos) << address.error();
  EXPECT_EQ(host.key_address(), "");
  EXPECT_FALSE(host.unsubscribe(99).ok());
  try {
    host.every(0, [] {});
    FAIL() << "every(0) must throw";
  } catch (const hepek::HostError& e) {
    EXPECT_EQ(e.status().code(), HEPEK_INVALID);
    EXPECT_NE(std::string(e.what()).find("adding a timer every 0 ms was refused: invalid"),
              std::string::npos);
  }
}

TEST(HostErrors, CommandResultsReachTheHubAsStatusAndMessage) {
  const hepek_host_api api = table();
  hepek_host raw;
  hepek::Host host(&api, &raw);
  host.announce({"unit", "Unit", {hepek::integer_command("level", 0, 10)}, "test"},
                [](const nlohmann::json& command) -> hepek::CommandResult {
                  if (command["level"] == 1) return {};                   // accepted
                  if (command["level"] == 2) return "too high just now";  // SDK 1.0 string form
                  if (command["level"] == 3) return hepek::Status::failure("busy", HEPEK_UNAVAILABLE);
                  throw std::runtime_error("broken");
                });
  ASSERT_NE(raw.command, nullptr);
  char error[256] = {};
  EXPECT_EQ(raw.command(raw.command_user, "unit", R"({"level":1})", error, sizeof error), HEPEK_OK);
  EXPECT_EQ(raw.command(raw.command_user, "unit", R"({"level":2})", error, sizeof error), HEPEK_INVALID);
  EXPECT_STREQ(error, "too high just now");
  EXPECT_EQ(raw.command(raw.command_user, "unit", R"({"level":3})", error, sizeof error), HEPEK_UNAVAILABLE);
  EXPECT_STREQ(error, "busy");
  EXPECT_EQ(raw.command(raw.command_user, "unit", R"({"level":4})", error, 10), HEPEK_INVALID);
  EXPECT_STREQ(error, "command f");  // truncated to the capacity, NUL-terminated
}

TEST(HostThreadSafety, SetupCallsFromManyThreadsKeepEveryHandler) {
  const hepek_host_api api = table();
  hepek_host raw;
  hepek::Host host(&api, &raw);
  constexpr int kThreads = 4, kEach = 250;
  std::atomic<int> messages{0}, ticks{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        host.subscribe("hepek/+/state", [&](const hepek::Message&) { ++messages; });
        host.every(1000, [&] { ++ticks; });
      }
    });
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(raw.subscriptions.size(), static_cast<size_t>(kThreads * kEach));
  ASSERT_EQ(raw.timers.size(), static_cast<size_t>(kThreads * kEach));
  std::set<void*> distinct;
  for (auto& [callback, user] : raw.subscriptions) {
    distinct.insert(user);
    callback(user, "hepek/x/state", "{}", 2, 0);
  }
  for (auto& [callback, user] : raw.timers) callback(user);
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(messages.load(), kThreads * kEach);
  EXPECT_EQ(ticks.load(), kThreads * kEach);
}

TEST(ResultModel, AFailureIsNeverOkAndValueOnAnErrorThrows) {
  EXPECT_FALSE(hepek::Status::failure("").ok());
  EXPECT_EQ(hepek::Status::failure("").error(), "unspecified error");
  EXPECT_EQ(hepek::Status::failure("x", HEPEK_OK).code(), HEPEK_ERROR);
  EXPECT_TRUE(hepek::Status().ok());
  const auto failed = hepek::Result<int>::failure("\"x\" must be positive");
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.value_or(7), 7);
  EXPECT_THROW((void)failed.value(), std::logic_error);
  EXPECT_EQ(*hepek::Result<int>::success(3), 3);
  EXPECT_TRUE(hepek::CommandResult("").ok());
  EXPECT_EQ(hepek::CommandResult("no").code(), HEPEK_INVALID);
}

// A plugin class whose schema uses every kind of constraint.
class Constrained : public hepek::Plugin {
 public:
  Constrained(hepek::Host& host, const nlohmann::json&) : Plugin(host) {}
  static std::vector<hepek::ConfigRow> config_schema() {
    using hepek::ConfigRow;
    return {
        ConfigRow{"role", HEPEK_CONFIG_STRING, "", true, "member or operator"}.one_of({"member", "operator"}),
        {"plain", HEPEK_CONFIG_STRING, "\"x\"", false, "no constraints"},
        ConfigRow{"capacity_wh", HEPEK_CONFIG_FLOAT, "10000", false, "capacity"}.greater_than(0),
        ConfigRow{"efficiency", HEPEK_CONFIG_FLOAT, "0.9", false, "efficiency"}.between(0, 1),
        ConfigRow{"cycle_s", HEPEK_CONFIG_DURATION, "900", false, "cycle"}.at_least(60).only_when("role",
                                                                                                  "member"),
        ConfigRow{"registry", HEPEK_CONFIG_STRING, "", true, "registry"}.only_when("role", "operator"),
    };
  }
};

TEST(DescriptorMachinery, ConstraintRowsAreAppendedWithoutChangingTheRowArray) {
  const hepek::detail::DescriptorStorage<Constrained> storage("org.hepek.test.constrained", "1.0.0");
  const hepek_plugin& d = storage.descriptor;
  EXPECT_EQ(d.abi_minor, HEPEK_ABI_MINOR);
  EXPECT_EQ(d.struct_size, sizeof(hepek_plugin));
  ASSERT_EQ(d.config_row_count, 6u);
  EXPECT_STREQ(d.config_rows[1].key, "plain");
  EXPECT_STREQ(d.config_rows[1].default_value, "\"x\"");
  EXPECT_EQ(d.config_rows[4].type, static_cast<uint32_t>(HEPEK_CONFIG_DURATION));
  ASSERT_EQ(d.config_constraint_count, 5u);  // "plain" has none
  EXPECT_EQ(d.config_constraint_size, sizeof(hepek_config_constraint));
  std::map<std::string, const hepek_config_constraint*> by_key;
  for (uint32_t i = 0; i < d.config_constraint_count; ++i) {
    // Walk with the declared stride, as a host of another minor would.
    const auto* row = reinterpret_cast<const hepek_config_constraint*>(
        reinterpret_cast<const char*>(d.config_constraints) + i * d.config_constraint_size);
    by_key[row->key] = row;
  }
  const auto* role = by_key.at("role");
  ASSERT_NE(role->allowed, nullptr);
  EXPECT_STREQ(role->allowed[0], "member");
  EXPECT_STREQ(role->allowed[1], "operator");
  EXPECT_EQ(role->allowed[2], nullptr);
  EXPECT_EQ(role->flags, 0u);
  EXPECT_EQ(role->only_when, nullptr);
  const auto* capacity = by_key.at("capacity_wh");
  EXPECT_EQ(capacity->flags,
            static_cast<uint32_t>(HEPEK_CONSTRAINT_MINIMUM | HEPEK_CONSTRAINT_EXCLUSIVE_MINIMUM));
  EXPECT_EQ(capacity->minimum, 0.0);
  EXPECT_EQ(capacity->allowed, nullptr);
  const auto* efficiency = by_key.at("efficiency");
  EXPECT_EQ(efficiency->flags, static_cast<uint32_t>(HEPEK_CONSTRAINT_MINIMUM | HEPEK_CONSTRAINT_MAXIMUM));
  EXPECT_EQ(efficiency->maximum, 1.0);
  EXPECT_STREQ(by_key.at("cycle_s")->only_when, "role=member");
  EXPECT_EQ(by_key.at("cycle_s")->minimum, 60.0);
  EXPECT_STREQ(by_key.at("registry")->only_when, "role=operator");
  EXPECT_EQ(by_key.at("registry")->flags, 0u);
}

TEST(DescriptorMachinery, ASchemaThatContradictsItselfIsRefusedNamingTheKey) {
  using hepek::ConfigRow;
  const auto error_of = [](std::vector<ConfigRow> rows) { return hepek::check_schema(rows).error(); };
  EXPECT_EQ(error_of({ConfigRow{"n", HEPEK_CONFIG_INTEGER, "1", false, ""}.one_of({"a"})}),
            "config row \"n\": allowed values (one_of) need a string or string-array row");
  EXPECT_EQ(error_of({ConfigRow{"b", HEPEK_CONFIG_BOOLEAN, "true", false, ""}.at_least(0)}),
            "config row \"b\": bounds need an integer, float, duration or string row");
  EXPECT_EQ(error_of({ConfigRow{"x", HEPEK_CONFIG_FLOAT, "1", false, ""}.at_least(2).at_most(1)}),
            "config row \"x\": its minimum is not below its maximum");
  EXPECT_EQ(error_of({ConfigRow{"x", HEPEK_CONFIG_FLOAT, "1", false, ""}.greater_than(1).at_most(1)}),
            "config row \"x\": its minimum is not below its maximum");
  EXPECT_EQ(error_of({ConfigRow{"k", HEPEK_CONFIG_STRING, "", false, ""}.only_when("role", "member")}),
            "config row \"k\": only_when names \"role\", which is not a key of this schema");
  EXPECT_EQ(error_of({{"k", HEPEK_CONFIG_STRING, "", false, ""}, {"k", HEPEK_CONFIG_STRING, "", false, ""}}),
            "config row \"k\" appears twice");
  ConfigRow scoped{"k", HEPEK_CONFIG_STRING, "", false, ""};
  scoped.applies_when = "role";
  EXPECT_EQ(error_of({scoped}), "config row \"k\": only_when must be \"other_key=value\", got \"role\"");
  EXPECT_TRUE(hepek::check_schema(Constrained::config_schema()).ok());
}

class SelfContradicting : public hepek::Plugin {
 public:
  SelfContradicting(hepek::Host& host, const nlohmann::json&) : Plugin(host) {}
  static std::vector<hepek::ConfigRow> config_schema() {
    return {hepek::ConfigRow{"n", HEPEK_CONFIG_INTEGER, "1", false, ""}.one_of({"a"})};
  }
};

TEST(DescriptorMachinery, TheEntryRefusesAnotherMajorAndABrokenSchema) {
  EXPECT_EQ(hepek::detail::plugin_entry<Constrained>(HEPEK_ABI_MAJOR + 1, "org.hepek.test", "1.0.0"),
            nullptr);
  EXPECT_NE(hepek::detail::plugin_entry<Constrained>(HEPEK_ABI_MAJOR, "org.hepek.test", "1.0.0"), nullptr);
  testing::internal::CaptureStderr();
  EXPECT_EQ(hepek::detail::plugin_entry<SelfContradicting>(HEPEK_ABI_MAJOR, "org.hepek.test.bad", "1.0.0"),
            nullptr);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("hepek plugin org.hepek.test.bad: config row \"n\""),
            std::string::npos);
}

}  // namespace
