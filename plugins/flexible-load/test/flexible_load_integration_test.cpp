// flexible-load on the real hub with its embedded Mosquitto, each instance behind a relay (backend mqtt) that
// drives a Tasmota-style plug peer (test/peer/tasmota_plug.py, Debian's python3-paho-mqtt): cmnd/<plug>/POWER
// in, stat/<plug>/POWER out. Three one-shot loads in one hub, their periods relative to the test's start:
//  - load-a has a planned window: its plug switches on at the window start and off after the run;
//  - load-b has no plan entry: it starts at its latest start and is done by its deadline;
//  - load-c has only a window outside its period (refused, logged): the fallback still runs it.
// A malformed hepek/plan published first is ignored with a log line; a garbage switch state too.
// Every wait polls with a generous deadline; the assertions are about order and the hub's own timestamps, not speed.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <hepek/interfaces.hpp>
#include <hepek/timeseries/iso8601.hpp>
#include <nlohmann/json.hpp>

#include "peer_process.hpp"
#include "test_support.hpp"

namespace {

namespace t = hepek::testing;
using t::Received;

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
std::string iso(std::int64_t ms) {
  return hepek::timeseries::format_iso8601_ms(ms);
}
std::int64_t parse_ms(const std::string& text) {
  return hepek::timeseries::parse_iso8601_or_throw(text).unix_ms();
}

std::string load_table(const std::string& id, const std::string& relay, std::int64_t earliest,
                       std::int64_t deadline, int run_s) {
  return "\n[[plugin]]\nid = \"" + id + "\"\ntype = \"flexible-load\"\nswitch = \"" + relay +
         "\"\nrated_power_w = 2000.0\nrun_s = " + std::to_string(run_s) + "\nearliest_start = \"" +
         iso(earliest) + "\"\ndeadline = \"" + iso(deadline) + "\"\nstart_margin_s = 4\nretry_s = 3\n";
}
std::string relay_table(const std::string& id, const std::string& plug) {
  return "\n[[plugin]]\nid = \"" + id +
         "\"\ntype = \"relay\"\nbackend = \"mqtt\"\nrole = \"appliance\"\ndefault_state = \"off\"\n"
         "remember = false\ncommand_topic = \"cmnd/" +
         plug + "/POWER\"\nstate_topic = \"stat/" + plug + "/POWER\"\n";
}

nlohmann::json json_of(const Received& message) {
  return nlohmann::json::parse(message.payload, nullptr, false);
}

// The first message on `topic` since the last clear() that satisfies `accept`, waiting up to timeout_ms.
template <typename Predicate>
std::optional<Received> wait_json(t::MqttClient& client, const std::string& topic, Predicate accept,
                                  int timeout_ms) {
  return client.wait_for(
      topic,
      [&](const Received& m) {
        const auto j = json_of(m);
        return j.is_object() && accept(j);
      },
      timeout_ms);
}

bool wait_log(const t::HubProcess& hub, const std::string& text, int timeout_ms) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < until) {
    if (hub.log().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace

TEST(FlexibleLoadIntegration, FollowsThePlanFallsBackToTheLatestStartAndIgnoresBadPlans) {
  HEPEK_REQUIRE_HUB();
  HEPEK_REQUIRE_PLUGIN("flexible-load");
  HEPEK_REQUIRE_PLUGIN("relay");
  const t::TempDir dir;
  const int port = t::free_port();
  const std::string data_dir = dir.file("data");
  const std::int64_t t0 = wall_ms();
  constexpr std::int64_t s = 1000;
  const std::int64_t window_start = t0 + 30 * s, window_end = t0 + 36 * s;
  const std::int64_t deadline_b = t0 + 50 * s, deadline_c = t0 + 56 * s;
  const std::string body =
      relay_table("relay-a", "plug-a") + relay_table("relay-b", "plug-b") + relay_table("relay-c", "plug-c") +
      load_table("load-a", "relay-a", t0, t0 + 120 * s, 6) +
      load_table("load-b", "relay-b", t0, deadline_b, 5) +
      load_table("load-c", "relay-c", t0, deadline_c, 5) + relay_table("relay-d", "plug-d") +
      "\n[[plugin]]\nid = \"load-d\"\ntype = \"flexible-load\"\nswitch = \"relay-d\"\n"
      "rated_power_w = 500.0\nrun_s = 3\nstart_margin_s = 4\n";  // no run until requested
  const std::string config = t::write_config(dir.path(), port, body);

  t::HubProcess hub(config, data_dir, {"--for", "150s"});
  auto admin = t::connect_account(data_dir, port, "admin", "admin-flexload-test", 30000);
  ASSERT_TRUE(admin) << "the hub's broker did not come up on port " << port << "\n" << hub.log();
  for (const char* topic : {"cmnd/+/POWER", "hepek/load-a/state", "hepek/load-b/state", "hepek/load-c/state",
                            "hepek/load-d/state", "hepek/load-d/set/result"})
    admin->subscribe(topic);
  const std::string admin_password =
      t::accounts(data_dir)["admin"].get<std::string>();  // {"admin": password}
  t::PeerProcess plug(
      {"/usr/bin/python3", t::source_dir() + "/plugins/flexible-load/test/peer/tasmota_plug.py",
       std::to_string(port), "admin", admin_password, "admin-plugs", "plug-a", "plug-b", "plug-c", "plug-d"});

  // Every load announced itself and waits (its switch known, no plan).
  for (const char* load : {"hepek/load-a/state", "hepek/load-b/state", "hepek/load-c/state"})
    ASSERT_TRUE(wait_json(
        *admin, load,
        [](const nlohmann::json& j) {
          return j.value("run_state", "") == "waiting" && j["switch_error"].is_null();
        },
        30000))
        << load << "\n"
        << hub.log();

  // What it announced implements flexible_load (a consumer's check, sdk/include/hepek/interfaces.hpp).
  admin->subscribe("hepek/load-a/config");
  const auto announced = admin->wait_for("hepek/load-a/config", {}, 10000);
  ASSERT_TRUE(announced) << hub.log();
  const auto implements =
      hepek::interfaces::check_implements(json_of(*announced), hepek::interfaces::kFlexibleLoad);
  EXPECT_TRUE(implements.ok()) << implements.error();

  // load-d has no run until one is requested at run time: a bad request is refused, a good one runs by its deadline
  // (no plan entry: at the latest start).
  ASSERT_TRUE(wait_json(
      *admin, "hepek/load-d/state",
      [](const nlohmann::json& j) { return j.value("run_state", "") == "idle"; }, 10000));
  admin->publish("hepek/load-d/set", R"({"run_until":"tomorrow"})");
  EXPECT_TRUE(wait_json(
      *admin, "hepek/load-d/set/result", [](const nlohmann::json& j) { return !j.value("ok", true); },
      10000));
  const std::int64_t deadline_d = wall_ms() + 15 * s;
  admin->publish("hepek/load-d/set", nlohmann::json{{"run_until", iso(deadline_d)}}.dump());
  EXPECT_TRUE(wait_json(
      *admin, "hepek/load-d/state",
      [](const nlohmann::json& j) { return j.value("run_state", "") == "waiting"; }, 10000));

  // A malformed plan (a window that ends before it starts): ignored with a log line naming it.
  admin->publish("hepek/plan",
                 R"({"schema":2,"ts":")" + iso(wall_ms()) +
                     R"(","step_s":900,"steps":[],"loads":{"load-a":[{"start_ms":5,"end_ms":1}]}})",
                 1, true);
  EXPECT_TRUE(wait_log(hub, "ignoring a malformed hepek/plan", 10000)) << hub.log();
  // A garbage switch state: refused with a log line, counted.
  admin->publish("hepek/relay-b/state", R"({"state":"maybe"})");
  EXPECT_TRUE(wait_log(hub, "ignoring switch \"relay-b\" state", 10000)) << hub.log();

  // The real plan (retained): load-a in [30 s, 36 s); load-c only outside its period; load-b absent.
  const nlohmann::json plan{{"schema", 2},
                            {"ts", iso(wall_ms())},
                            {"step_s", 900},
                            {"steps", nlohmann::json::array()},
                            {"loads",
                             {{"load-a", {{{"start_ms", window_start}, {"end_ms", window_end}}}},
                              {"load-c", {{{"start_ms", t0 - 100 * s}, {"end_ms", t0 - 90 * s}}}}}}};
  admin->publish("hepek/plan", plan.dump(), 1, true);
  EXPECT_TRUE(wait_log(hub, "lies outside the run's period", 10000)) << hub.log();
  EXPECT_TRUE(wait_json(
      *admin, "hepek/load-a/state", [](const nlohmann::json& j) { return j.value("planned", false); },
      10000));

  // load-a: on at the window start (not before), off after its 6 s run.
  const auto a_on = admin->wait_for(
      "cmnd/plug-a/POWER", [](const Received& m) { return m.payload == "ON"; }, 90000);
  ASSERT_TRUE(a_on) << hub.log() << plug.log();
  const auto a_running = wait_json(
      *admin, "hepek/load-a/state",
      [](const nlohmann::json& j) { return j.value("run_state", "") == "running"; }, 10000);
  ASSERT_TRUE(a_running) << hub.log();
  EXPECT_EQ(json_of(*a_running).value("reason", ""), "inside a planned window");
  EXPECT_GE(parse_ms(json_of(*a_running)["ts"]), window_start);
  const auto a_done = wait_json(
      *admin, "hepek/load-a/state",
      [](const nlohmann::json& j) { return j.value("run_state", "") == "done"; }, 60000);
  ASSERT_TRUE(a_done) << hub.log();
  EXPECT_GE(parse_ms(json_of(*a_done)["ts"]), window_start + 6 * s);
  EXPECT_TRUE(admin->wait_for(
      "cmnd/plug-a/POWER", [](const Received& m) { return m.payload == "OFF"; }, 10000));

  // load-b (no plan entry) and load-c (its only window refused): on at the latest start, done by the deadline.
  for (const auto& [load, deadline] :
       {std::pair{std::string("load-b"), deadline_b}, std::pair{std::string("load-c"), deadline_c}}) {
    const std::string topic = "hepek/" + load + "/state";
    const auto running = wait_json(
        *admin, topic, [](const nlohmann::json& j) { return j.value("run_state", "") == "running"; }, 90000);
    ASSERT_TRUE(running) << load << "\n" << hub.log();
    const auto j = json_of(*running);
    EXPECT_EQ(j.value("reason", ""), "latest start reached: running so the deadline holds") << load;
    // At the last tick (tick_s = 1) before the latest start, or after it: never earlier.
    EXPECT_GE(parse_ms(j["ts"]), parse_ms(j["latest_start"]) - 1 * s) << load;
    EXPECT_EQ(parse_ms(j["latest_start"]), deadline - 5 * s - 4 * s) << load;
    const auto done = wait_json(
        *admin, topic, [](const nlohmann::json& d) { return d.value("run_state", "") == "done"; }, 60000);
    ASSERT_TRUE(done) << load << "\n" << hub.log();
    EXPECT_LE(parse_ms(json_of(*done)["ts"]), deadline) << load;
    EXPECT_EQ(json_of(*done).value("remaining_run_s", -1), 0) << load;
  }
  const auto d_done = wait_json(
      *admin, "hepek/load-d/state",
      [](const nlohmann::json& j) { return j.value("run_state", "") == "done"; }, 60000);
  ASSERT_TRUE(d_done) << hub.log();
  EXPECT_LE(parse_ms(json_of(*d_done)["ts"]), deadline_d);
  EXPECT_EQ(json_of(*d_done)["latest_start"], nullptr);  // done: no run pending any more

  // The plug peer itself switched: on, then off, for every load.
  for (const char* expected : {"plug-a ON\nplug-a OFF", "plug-b ON", "plug-b OFF", "plug-c ON", "plug-c OFF",
                               "plug-d ON", "plug-d OFF"}) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (plug.log().find(expected) == std::string::npos && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_NE(plug.log().find(expected), std::string::npos) << expected << "\n" << plug.log();
  }
}

// A restart of the hub in the middle of a run: the delivered run time is saved in the data dir and restored, so the
// run resumes with what is left instead of starting over (and a non-interruptible run goes on without a plan).
TEST(FlexibleLoadIntegration, ARestartResumesTheRunWhereItStopped) {
  HEPEK_REQUIRE_HUB();
  HEPEK_REQUIRE_PLUGIN("flexible-load");
  HEPEK_REQUIRE_PLUGIN("relay");
  const t::TempDir dir;
  const int port = t::free_port();
  const std::string data_dir = dir.file("data");
  const std::int64_t t0 = wall_ms();
  constexpr std::int64_t s = 1000;
  const std::string config = t::write_config(
      dir.path(), port,
      relay_table("relay-r", "plug-r") + load_table("load-r", "relay-r", t0, t0 + 300 * s, 20));
  const auto start_plug = [&] {
    return std::make_unique<t::PeerProcess>(std::vector<std::string>{
        "/usr/bin/python3", t::source_dir() + "/plugins/flexible-load/test/peer/tasmota_plug.py",
        std::to_string(port), "admin", t::accounts(data_dir)["admin"].get<std::string>(), "admin-plugs",
        "plug-r"});
  };
  std::int64_t saved_ms = 0;
  {
    t::HubProcess hub(config, data_dir, {"--for", "120s"});
    auto admin = t::connect_account(data_dir, port, "admin", "admin-flexload-restart-1", 30000);
    ASSERT_TRUE(admin) << hub.log();
    admin->subscribe("hepek/load-r/state");
    const auto plug = start_plug();
    const nlohmann::json plan{{"schema", 2},
                              {"ts", iso(wall_ms())},
                              {"step_s", 900},
                              {"steps", nlohmann::json::array()},
                              {"loads", {{"load-r", {{{"start_ms", wall_ms()}, {"end_ms", t0 + 200 * s}}}}}}};
    admin->publish("hepek/plan", plan.dump(), 1, true);
    // Run for a while: the state counts down (published every 10 s while it runs).
    ASSERT_TRUE(wait_json(
        *admin, "hepek/load-r/state",
        [](const nlohmann::json& j) {
          return j.value("run_state", "") == "running" && j.value("remaining_run_s", 99) <= 15;
        },
        60000))
        << hub.log();
    hub.terminate();
    const auto saved = nlohmann::json::parse(t::read_file(data_dir + "/plugins/load-r/progress.json"));
    saved_ms = saved.at("delivered_ms").get<std::int64_t>();
    EXPECT_GE(saved_ms, 5 * s) << saved.dump();
    EXPECT_LT(saved_ms, 20 * s) << saved.dump();
  }
  {
    t::HubProcess hub(config, data_dir, {"--for", "120s"});
    auto admin = t::connect_account(data_dir, port, "admin", "admin-flexload-restart-2", 30000);
    ASSERT_TRUE(admin) << hub.log();
    admin->subscribe("hepek/load-r/state");
    admin->publish("hepek/plan", "", 1, true);  // no plan now: a started run still goes on to its end
    const auto plug = start_plug();
    EXPECT_TRUE(wait_log(hub, "already delivered", 20000)) << hub.log();
    const auto first = wait_json(
        *admin, "hepek/load-r/state",
        [](const nlohmann::json& j) { return j.value("run_state", "") == "running"; }, 30000);
    ASSERT_TRUE(first) << hub.log();
    EXPECT_LE(json_of(*first).value("remaining_run_s", 99), 20 - saved_ms / s) << first->payload;
    const auto done = wait_json(
        *admin, "hepek/load-r/state",
        [](const nlohmann::json& j) { return j.value("run_state", "") == "done"; }, 60000);
    ASSERT_TRUE(done) << hub.log();
    EXPECT_EQ(json_of(*done).value("reason", ""), "run complete");
  }
}
