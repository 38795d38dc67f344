// Issue 9, "a hostile-input test": the real hub with its real embedded Mosquitto and several devices (writable and
// read-only), every topic the hub or a plugin answers found from the hub's own metadata (the retained
// hepek/<device>/config of every device, the bridge requests listed in hepek/bridge/info, the recorder's request
// topic), and 300+ malformed messages of every class (hostile_payloads.hpp) sent to each by the admin account. Every
// one must be answered on its result/response topic with an error (matched by order, one in flight at a time, and
// by the echoed transaction where the payload carries one; a second client counts the answers per topic, which
// must equal the messages sent); a message over the broker's 1 MiB limit must not be delivered. Then the pv
// plugin's own account publishes the same classes as retained hepek/pv/state: each must be dropped by the hub
// (counted per reader) or refused by the recorder (counted, "N states skipped" at stop). At the end the hub runs, its health is "ok", a valid command still works and its resident memory grew
// by less than 32 MiB; the figures are printed (README, "Hostile input").
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include <hepek/command_validation.hpp>
#include <hepek/json_limits.hpp>
#include <hepek/timeseries/iso8601.hpp>

#include "hostile_payloads.hpp"
#include "test_support.hpp"

using namespace hepek::testing;

namespace {

constexpr std::size_t kAtLeast = 300;
constexpr long kMaxGrowthKib = 32 * 1024;

#if defined(__SANITIZE_ADDRESS__)
// ASan keeps freed memory in a quarantine (256 MiB by default) to catch a use after free, and 983 messages of up to
// 900 KB fill it: the hub under ASan gets a quarantine of kQuarantineMib, which its growth may add to the bound.
constexpr long kQuarantineMib = 16;
void bound_the_asan_quarantine_of_children() {
  const char* options = std::getenv("ASAN_OPTIONS");
  const std::string set = (options ? std::string(options) + ":" : std::string()) +
                          "quarantine_size_mb=" + std::to_string(kQuarantineMib);
  ::setenv("ASAN_OPTIONS", set.c_str(), 1);
}
#else
constexpr long kQuarantineMib = 0;
void bound_the_asan_quarantine_of_children() {}
#endif

// Writable devices (relay: enum; battery: two numbers; pv: number; probe: integer + enum) and read-only ones (load,
// grid, tariff), the recorder (its request topic); no planner, so nothing else commands a device.
std::string config_body() {
  return simulated_home(60, /*grid=*/true) + R"(
[[plugin]]
id = "tariff"
type = "tariff"
source = "csv"
csv = ")" +
         testdata("prices/nl_day_ahead_2023_hourly.csv") +
         R"("

[[plugin]]
id = "probe"
type = "probe"
label = "hostile"

[[plugin]]
id = "recorder"
type = "recorder"
flush_ms = 200
)";
}

struct Memory {
  long rss_kib = -1;
  long hwm_kib = -1;
};

Memory memory_of(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  Memory memory;
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) memory.rss_kib = std::stol(line.substr(6));
    if (line.rfind("VmHWM:", 0) == 0) memory.hwm_kib = std::stol(line.substr(6));
  }
  return memory;
}

// One topic that answers: where to publish, where the answer comes, and the payloads it gets.
struct Target {
  std::string name;      // for messages: "hepek/battery/set"
  std::string request;   // topic published to; for the recorder a prefix (a request id is appended)
  std::string response;  // topic of the answer; for the recorder a prefix too
  bool per_request_topic = false;
  std::string valid;  // a valid payload: answered with ok:true (the control)
  std::vector<hostile::Payload> payloads;
};

std::string short_text(const std::string& text) {
  return text.size() <= 120 ? text : text.substr(0, 120) + "... (" + std::to_string(text.size()) + " bytes)";
}

TEST(HostileInput, EveryMalformedMessageOnEveryWritableTopicIsAnsweredWithAnErrorAndTheHubLives) {
  HEPEK_REQUIRE_HUB();
  for (const char* type : {"recorder", "relay", "sim-load", "sim-pv", "sim-battery", "sim-grid", "tariff"})
    HEPEK_REQUIRE_PLUGIN(type);
  bound_the_asan_quarantine_of_children();
  TempDir temp;
  const int port = free_port();
  const std::string data_dir = temp.path() + "/data";
  HubProcess hub(write_config(temp.path(), port, config_body(), fixture_plugin_dir()), data_dir);
  auto admin = connect_account(data_dir, port, "admin", "admin-hostile", 15000);
  ASSERT_TRUE(admin) << hub.log();
  admin->subscribe("hepek/bridge/#");
  admin->subscribe("hepek/+/config");
  admin->subscribe("hepek/+/set/result");
  admin->subscribe("hepek/recorder/response/#");
  ASSERT_TRUE(admin->wait_for(
      "hepek/bridge/state", [](const Received& m) { return m.payload == "online"; }, 15000))
      << hub.log();
  // Counts every answer once (one subscription per answer topic, none overlapping), so a missing, late or second
  // answer to any message shows up in the totals even though the admin matches answers one at a time.
  auto counter = connect_account(data_dir, port, "observer", "observer-hostile-counter", 15000);
  ASSERT_TRUE(counter) << hub.log();
  counter->subscribe("hepek/+/set/result");
  counter->subscribe("hepek/bridge/response/#");
  counter->subscribe("hepek/recorder/response/#");

  // What the hub says it serves: the bridge's request names and plugins, every device's retained metadata.
  const auto info_message = admin->wait_for(
      "hepek/bridge/info",
      [](const Received& m) {
        const auto info = nlohmann::json::parse(m.payload, nullptr, false);
        if (!info.is_object() || !info.contains("plugins")) return false;
        for (const auto& plugin : info["plugins"])
          if (plugin.value("state", "") != "running") return false;
        return true;
      },
      15000);
  ASSERT_TRUE(info_message) << hub.log();
  const auto info = nlohmann::json::parse(info_message->payload);
  ASSERT_TRUE(info.contains("requests")) << "hepek/bridge/info lists no bridge requests: " << info.dump();
  std::string recorder_id;
  for (const auto& plugin : info["plugins"]) {
    if (plugin["type"] == "recorder") recorder_id = plugin["id"];
  }
  const std::set<std::string> expected_devices{"relay", "load", "pv", "battery", "grid", "tariff", "probe"};
  std::map<std::string, nlohmann::json> metadata;
  for (int tries = 0; tries < 100 && metadata.size() < expected_devices.size(); ++tries) {
    for (const auto& message : admin->messages()) {
      if (message.topic.size() < 14 || message.topic.substr(message.topic.size() - 7) != "/config") continue;
      const std::string device = message.topic.substr(6, message.topic.size() - 13);
      auto parsed = nlohmann::json::parse(message.payload, nullptr, false);
      if (parsed.is_object()) metadata[device] = std::move(parsed);
    }
    if (metadata.size() < expected_devices.size())
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (const auto& device : expected_devices)
    ASSERT_TRUE(metadata.count(device)) << "no metadata from " << device << "\n" << hub.log();
  ASSERT_EQ(recorder_id, "recorder") << info.dump();

  std::vector<Target> targets;
  std::size_t writable_devices = 0;
  std::size_t read_only_devices = 0;
  for (const auto& [device, config] : metadata) {
    const nlohmann::json writable = hepek::writable_fields(config);
    Target target{"hepek/" + device + "/set",
                  "hepek/" + device + "/set",
                  "hepek/" + device + "/set/result",
                  false,
                  "",
                  {}};
    nlohmann::json valid = nlohmann::json::object();
    for (const auto& [field, schema] : writable.items()) {
      const std::string type = schema.value("type", "");
      if (type == "enum")
        valid[field] = schema["values"][0];
      else if (type == "boolean")
        valid[field] = true;
      else if (type == "number" || type == "integer")
        valid[field] = schema.value("min", 0.0) > 0 ? schema["min"] : nlohmann::json(0);
      else
        valid[field] = "x";
    }
    (writable.empty() ? read_only_devices : writable_devices) += 1;
    target.valid = writable.empty() ? "" : valid.dump();
    const nlohmann::json shape =
        writable.empty() ? nlohmann::json{{config["entities"][0]["field"].get<std::string>(), 1}} : valid;
    target.payloads = hostile::generic(shape, false, false);
    for (auto& payload : hostile::device_fields(writable)) target.payloads.push_back(std::move(payload));
    targets.push_back(std::move(target));
  }
  EXPECT_GE(writable_devices, 4u);
  EXPECT_GE(read_only_devices, 3u);
  std::vector<std::string> requests;
  for (const auto& name : info["requests"]) requests.push_back(name.get<std::string>());
  requests.push_back("no-such-request");  // answered with an error whatever it carries
  for (const auto& request : requests) {
    Target target{"hepek/bridge/request/" + request,
                  "hepek/bridge/request/" + request,
                  "hepek/bridge/response/" + request,
                  false,
                  "",
                  {}};
    if (request != "no-such-request") target.valid = "{}";
    target.payloads = hostile::generic(nlohmann::json{{"transaction", "v"}}, true, true);
    for (auto& payload : hostile::bridge_fields()) target.payloads.push_back(std::move(payload));
    targets.push_back(std::move(target));
  }
  EXPECT_GE(targets.size(), metadata.size() + 3);
  {
    const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    const nlohmann::json query{{"device", "battery"},
                               {"from", hepek::timeseries::format_iso8601_ms(now_ms - 3'600'000)},
                               {"to", hepek::timeseries::format_iso8601_ms(now_ms + 3'600'000)}};
    Target target{"hepek/recorder/request/<id>",
                  "hepek/" + recorder_id + "/request/h",
                  "hepek/" + recorder_id + "/response/h",
                  true,
                  "",
                  {}};
    target.valid = query.dump();
    target.payloads = hostile::generic(query, false, false);
    for (auto& payload : hostile::recorder_fields(query)) target.payloads.push_back(std::move(payload));
    targets.push_back(std::move(target));
  }

  std::this_thread::sleep_for(
      std::chrono::seconds(2));  // the first states recorded, start-up allocations done
  const Memory before = memory_of(hub.pid());
  const auto started = std::chrono::steady_clock::now();

  std::map<std::string, std::size_t> per_kind;
  std::size_t sent = 0;
  std::size_t answered_with_error = 0;
  std::size_t request_number = 0;
  std::map<std::string, std::size_t> expected_answers;  // answer topic -> messages sent that it answers
  auto send = [&](const Target& target, const std::string& payload, std::string* reply_text) -> bool {
    const std::string suffix = target.per_request_topic ? std::to_string(++request_number) : "";
    ++expected_answers[target.response + suffix];
    admin->clear();
    const auto reply =
        admin->request(target.request + suffix, payload, target.response + suffix, /*timeout_ms=*/10000);
    if (!reply) return false;
    *reply_text = reply->payload;
    return true;
  };

  for (const auto& target : targets) {
    std::string reply;
    if (!target.valid.empty()) {  // the control: this topic answers a good message with ok:true
      ASSERT_TRUE(send(target, target.valid, &reply)) << target.name << " did not answer " << target.valid;
      const auto json = nlohmann::json::parse(reply, nullptr, false);
      EXPECT_EQ(json.value("ok", false), true) << target.name << ": " << short_text(reply);
    }
    for (const auto& payload : target.payloads) {
      ++sent;
      ++per_kind[payload.kind];
      if (!send(target, payload.text, &reply)) {
        ADD_FAILURE() << target.name << ": no answer to " << payload.kind << ": " << short_text(payload.text);
        ASSERT_TRUE(hub.running()) << "the hub died on " << target.name << " " << payload.kind << "\n"
                                   << hub.log().substr(0, 20000);
        continue;
      }
      const auto json = nlohmann::json::parse(reply, nullptr, false);
      const bool is_error = json.is_object() && json.value("ok", true) == false && json.contains("error") &&
                            json["error"].is_string();
      EXPECT_TRUE(is_error) << target.name << ", " << payload.kind << ": " << short_text(payload.text)
                            << "\n  answered " << short_text(reply);
      EXPECT_LT(reply.size(), 4096u) << target.name << ", " << payload.kind << ": a long error reply";
      if (!payload.transaction.empty()) {
        EXPECT_EQ(json.value("transaction", ""), payload.transaction)
            << target.name << ", " << payload.kind << ": " << short_text(reply);
      }
      answered_with_error += is_error ? 1 : 0;
    }
  }
  const auto elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
          .count();

  // Over the broker's message size limit: dropped by Mosquitto, so nobody sees it and nobody answers; the
  // sender stays connected (message_size_limit drops, it does not disconnect).
  std::size_t oversize = 0;
  for (const auto& target : targets) {
    if (target.per_request_topic || target.name.find("/bridge/") != std::string::npos ||
        target.name == "hepek/battery/set") {
      ++oversize;
      std::string reply;
      const std::string suffix = target.per_request_topic ? "-oversize" : "";
      admin->clear();
      admin->publish(target.request + suffix, hostile::oversize(1024 * 1024 + 1));
      EXPECT_FALSE(admin->wait_for(target.response + suffix, {}, 1000))
          << target.name << " answered a message over the broker's size limit";
    }
  }
  EXPECT_TRUE(admin->connected());

  // Exactly one answer to every message sent, counted by the observer per answer topic.
  std::size_t expected_total = 0;
  for (const auto& [topic, count] : expected_answers) expected_total += count;
  const auto answers_so_far = [&] { return counter->messages().size(); };
  for (int i = 0; i < 100 && answers_so_far() < expected_total; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // room for a second answer to show up
  std::map<std::string, std::size_t> answers;
  for (const auto& message : counter->messages()) ++answers[message.topic];
  EXPECT_EQ(answers, expected_answers) << "answers per topic differ from the messages sent";

  // Retained states on a plugin's own account: the pv plugin's account poisons hepek/pv/state, which the
  // recorder, sim-battery and sim-grid read. Nobody answers a state, so each one is counted where it ends: over
  // the JSON limits the hub drops it before any plugin (rejected_messages of each reader), otherwise the recorder
  // refuses it (not JSON by parse_limited, or not an object: "N states skipped" when it stops) or, a readable
  // object, skips its bad fields.
  const auto credentials = accounts(data_dir);
  MqttClient pv_account(port, "plugin-pv", credentials["plugin-pv"].get<std::string>(), "plugin-pv-hostile");
  ASSERT_TRUE(pv_account.connected());
  std::string pv_field;
  for (const auto& entity : metadata["pv"]["entities"])
    if (entity.contains("unit") && entity.value("recorded", true)) {
      pv_field = entity["field"];
      break;
    }
  ASSERT_FALSE(pv_field.empty()) << metadata["pv"].dump();
  const auto readers_health = [&] {
    const auto reply = admin->request("hepek/bridge/request/health", "{}", "hepek/bridge/response/health");
    return reply ? nlohmann::json::parse(reply->payload, nullptr, false) : nlohmann::json();
  };
  const std::vector<std::string> readers{"recorder", "battery", "grid"};
  const auto health_before_states = readers_health();
  ASSERT_TRUE(health_before_states.is_object()) << hub.log().substr(0, 20000);
  std::size_t states_dropped = 0, states_refused = 0, states_read = 0;
  auto state_payloads = hostile::generic(nlohmann::json{{pv_field, 1000}}, false, false);
  // The last one stays retained: the deepest, so a hub starting now would meet it first.
  state_payloads.push_back({"nesting 100,000 levels (200 KB)", hostile::nested(100000), {}});
  for (const auto& payload : state_payloads) {
    ++per_kind["retained state: " + payload.kind];
    if (!hepek::json_limits::check(payload.text))
      ++states_dropped;
    else if (const auto parsed = hepek::json_limits::parse_limited(payload.text);
             !parsed || !parsed->is_object())
      ++states_refused;
    else
      ++states_read;
    pv_account.publish("hepek/pv/state", payload.text, 1, /*retain=*/true);
  }
  // A valid state after them (not retained): once the recorder has it, it has been through all of them (one
  // publisher, one topic: the broker keeps their order to each reader).
  const int64_t marker_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
  pv_account.publish(
      "hepek/pv/state",
      nlohmann::json{{"ts", hepek::timeseries::format_iso8601_ms(marker_ms)}, {pv_field, 4242.5}}.dump());
  bool marker_recorded = false;
  for (int i = 0; i < 100 && !marker_recorded; ++i) {
    const nlohmann::json query{{"device", "pv"},
                               {"fields", {pv_field}},
                               {"from", hepek::timeseries::format_iso8601_ms(marker_ms)},
                               {"to", hepek::timeseries::format_iso8601_ms(marker_ms + 1000)}};
    const auto reply = admin->request("hepek/recorder/request/marker" + std::to_string(i), query.dump(),
                                      "hepek/recorder/response/marker" + std::to_string(i));
    if (reply && reply->payload.find("4242.5") != std::string::npos) marker_recorded = true;
    if (!marker_recorded) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(marker_recorded) << "the recorder did not record a valid state after the poison\n"
                               << hub.log().substr(0, 20000);
  const auto health_after_states = readers_health();
  ASSERT_TRUE(health_after_states.is_object()) << hub.log().substr(0, 20000);
  for (const auto& reader : readers) {
    const auto& now = health_after_states["plugins"][reader];
    EXPECT_EQ(now["state"], "running") << reader << ": " << now.dump();
    EXPECT_EQ(now["rejected_messages"].get<std::size_t>() -
                  health_before_states["plugins"][reader]["rejected_messages"].get<std::size_t>(),
              states_dropped)
        << reader << " did not have every over-limit state dropped before it";
  }

  ASSERT_TRUE(hub.running()) << hub.log().substr(0, 20000);
  const auto health = admin->request("hepek/bridge/request/health", "{}", "hepek/bridge/response/health");
  ASSERT_TRUE(health) << hub.log().substr(0, 20000);
  const auto health_json = nlohmann::json::parse(health->payload);
  EXPECT_EQ(health_json["status"], "ok") << health_json.dump();
  // Still serving: a valid command is carried out.
  const auto command = admin->request("hepek/battery/set", R"({"setpoint_w":-1000,"expires_s":60})",
                                      "hepek/battery/set/result");
  ASSERT_TRUE(command);
  EXPECT_EQ(nlohmann::json::parse(command->payload)["ok"], true) << command->payload;
  const Memory after = memory_of(hub.pid());

  EXPECT_GE(sent, kAtLeast);
  EXPECT_EQ(answered_with_error, sent);
  std::printf(
      "hostile input: %zu malformed messages to %zu topics (%zu devices, %zu of them read-only; %zu bridge "
      "request names, one unknown; the recorder) in %lld ms, %zu answered with an error; %zu oversize "
      "messages dropped by "
      "the broker\n",
      sent, targets.size(), metadata.size(), read_only_devices, requests.size(),
      static_cast<long long>(elapsed_ms), answered_with_error, oversize);
  for (const auto& [kind, count] : per_kind) std::printf("  %-45s %zu\n", kind.c_str(), count);
  std::printf(
      "hub VmRSS %ld KiB before, %ld KiB after (growth %ld KiB); VmHWM %ld KiB before, %ld KiB after\n",
      before.rss_kib, after.rss_kib, after.rss_kib - before.rss_kib, before.hwm_kib, after.hwm_kib);
  EXPECT_GT(before.rss_kib, 0);
  EXPECT_LT(after.rss_kib - before.rss_kib, kMaxGrowthKib + kQuarantineMib * 1024);

  // The recorder counted every state it refused; it says how many when it stops.
  hub.terminate();
  const std::string log = hub.log();
  const std::string skipped = " states skipped";
  const auto at = log.find(skipped);
  ASSERT_NE(at, std::string::npos) << log.substr(0, 20000);
  const auto number_starts = log.rfind(' ', at - 1) + 1;
  EXPECT_EQ(std::stoul(log.substr(number_starts, at - number_starts)), states_refused)
      << log.substr(log.rfind('\n', at), 200);
  std::printf(
      "retained states on hepek/pv/state (the pv plugin's account): %zu, %zu dropped by the hub before "
      "its readers, %zu refused by the recorder, %zu read with their bad fields skipped\n",
      state_payloads.size(), states_dropped, states_refused, states_read);
}

}  // namespace
