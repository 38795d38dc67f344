// The climate plugin against the real hub and its embedded Mosquitto, driving a simulated air conditioner
// (test/ac_unit.py, paho) that speaks Home Assistant's MQTT climate topics: commands reach the unit, its reports
// come back in hepek/<id>/state with the climate interface's fields; overrides of the setpoint and of the mode
// lapse back to the user's setting; a user command ends an override; a change made on the unit becomes the
// user's setting and survives a restart; bad unit payloads are counted, not believed; the unit stopping or
// going silent makes the device offline. A second test reads the room temperature from a HEPEK
// temperature_sensor device and the unit's state from one JSON topic. Every wait has a deadline; nothing
// asserts how long anything took.
#include <gtest/gtest.h>
#include <signal.h>

#include <string>

#include <hepek/interfaces.hpp>
#include <nlohmann/json.hpp>

#include "peer_process.hpp"
#include "test_support.hpp"

namespace {

namespace t = hepek::testing;
using nlohmann::json;

constexpr int kDeadlineMs = 15000;

std::string ac_unit() {
  return t::source_dir() + "/plugins/climate/test/ac_unit.py";
}

json parse(const std::string& text) {
  return json::parse(text, nullptr, false);
}

// Waits for a message on `topic` whose JSON payload satisfies `accept`; returns it (null on timeout).
template <typename Predicate>
json wait_json(t::MqttClient& client, const std::string& topic, Predicate accept) {
  const auto message = client.wait_for(
      topic,
      [&](const t::Received& m) {
        const json j = parse(m.payload);
        return j.is_object() && accept(j);
      },
      kDeadlineMs);
  return message ? parse(message->payload) : json();
}

bool wait_payload(t::MqttClient& client, const std::string& topic, const std::string& payload) {
  return client
      .wait_for(
          topic, [&](const t::Received& m) { return m.payload == payload; }, kDeadlineMs)
      .has_value();
}

bool number_is(const json& state, const char* field, double value) {
  return state.contains(field) && state[field].is_number() &&
         std::abs(state[field].get<double>() - value) < 0.01;
}

std::unique_ptr<t::PeerProcess> start_unit(const std::string& data_dir, int port,
                                           std::vector<std::string> extra) {
  std::vector<std::string> argv = {
      "/usr/bin/python3", ac_unit(), "--port",     std::to_string(port),
      "--username",       "admin",   "--password", t::accounts(data_dir).at("admin").get<std::string>()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return std::make_unique<t::PeerProcess>(argv);
}

std::string separate_topics_config() {
  return "[[plugin]]\nid = \"ac\"\ntype = \"climate\"\nname = \"Living room AC\"\n"
         "mode_command_topic = \"ac1/mode/set\"\nmode_state_topic = \"ac1/mode/state\"\n"
         "temperature_command_topic = \"ac1/temperature/set\"\ntemperature_state_topic = "
         "\"ac1/temperature/state\"\n"
         "current_temperature_topic = \"ac1/current_temperature\"\naction_topic = \"ac1/action\"\n"
         "fan_mode_command_topic = \"ac1/fan/set\"\nfan_mode_state_topic = \"ac1/fan/state\"\n"
         "power_topic = \"ac1/power\"\navailability_topic = \"ac1/availability\"\n"
         "mode_payload_off = \"OFF\"\nmode_payload_heat = \"HEAT\"\nmode_payload_cool = \"COOL\"\n"
         "mode_payload_auto = \"AUTO\"\n"
         "comfort = [\"00:00-24:00 20-25\"]\nstale_after_s = 3\n";
}

}  // namespace

TEST(ClimateMqtt, DrivesAnAcUnitWithOverridesUserChangesAndAvailability) {
  HEPEK_REQUIRE_HUB();
  HEPEK_REQUIRE_PLUGIN("climate");
  const t::TempDir dir;
  const int port = t::free_port();
  const std::string data_dir = dir.file("data");
  const std::string config = t::write_config(dir.path(), port, separate_topics_config());
  {
    t::HubProcess hub(config, data_dir, {"--for", "120s"});
    auto client = t::connect_account(data_dir, port, "admin", "admin-climate-test-1", 20000);
    ASSERT_TRUE(client) << "the hub's broker did not come up on port " << port << "\n" << hub.log();
    for (const char* topic : {"hepek/ac/#", "ac1/#"}) client->subscribe(topic);
    auto unit = start_unit(data_dir, port,
                           {"--name", "ac1", "--upper", "--mode", "off", "--target", "22", "--room", "27"});

    // The device implements climate; the unit's own state (off, 22 °C, room 27 °C) is the user's setting.
    const json announced = wait_json(*client, "hepek/ac/config", [](const json&) { return true; });
    EXPECT_TRUE(hepek::interfaces::check_implements(announced, "climate")) << announced.dump();
    const json first = wait_json(*client, "hepek/ac/state", [](const json& s) {
      return s.value("hvac_mode", json()) == "off" && number_is(s, "target_temperature", 22) &&
             s["temperature"].is_number();
    });
    ASSERT_TRUE(first.is_object()) << hub.log() << unit->log();
    EXPECT_TRUE(number_is(first, "comfort_min", 20) && number_is(first, "comfort_max", 25)) << first.dump();
    EXPECT_EQ(first["user_hvac_mode"], "off");
    EXPECT_TRUE(first["override_until"].is_null());
    EXPECT_TRUE(wait_payload(*client, "hepek/ac/availability", "online"));

    // The user's own command (as from Home Assistant) reaches the unit in its payloads; the unit cools.
    client->publish("hepek/ac/set", R"({"hvac_mode":"cool","target_temperature":23})");
    EXPECT_TRUE(wait_payload(*client, "ac1/mode/set", "COOL")) << hub.log();
    EXPECT_TRUE(wait_payload(*client, "ac1/temperature/set", "23"));
    const json cooling = wait_json(*client, "hepek/ac/state", [](const json& s) {
      return s.value("hvac_action", "") == "cooling" && number_is(s, "power", 900) &&
             s.value("power_estimated", true) == false && s["temperature"].get<double>() < 26.5;
    });
    EXPECT_TRUE(cooling.is_object()) << hub.log() << unit->log();

    // An override of the setpoint lapses back to the user's 23 °C, re-sent to the unit.
    client->clear();
    client->publish("hepek/ac/set", R"({"target_temperature":20,"expires_s":1.5})");
    EXPECT_TRUE(wait_payload(*client, "ac1/temperature/set", "20"));
    EXPECT_TRUE(wait_json(*client, "hepek/ac/state", [](const json& s) {
                  return number_is(s, "target_temperature", 20) && s["override_until"].is_string() &&
                         number_is(s, "user_target_temperature", 23);
                }).is_object());
    EXPECT_TRUE(wait_payload(*client, "ac1/temperature/set", "23")) << hub.log();
    EXPECT_TRUE(wait_json(*client, "hepek/ac/state", [](const json& s) {
                  return number_is(s, "target_temperature", 23) && s["override_until"].is_null();
                }).is_object());

    // An override of the mode lapses back to the user's cool.
    client->clear();
    client->publish("hepek/ac/set", R"({"hvac_mode":"off","expires_s":1.5})");
    EXPECT_TRUE(wait_payload(*client, "ac1/mode/set", "OFF"));
    EXPECT_TRUE(wait_json(*client, "hepek/ac/state", [](const json& s) {
                  return s.value("hvac_mode", json()) == "off" && s.value("hvac_action", "") == "off" &&
                         s["override_until"].is_string();
                }).is_object());
    EXPECT_TRUE(wait_payload(*client, "ac1/mode/set", "COOL")) << hub.log();
    EXPECT_TRUE(wait_json(*client, "hepek/ac/state", [](const json& s) {
                  return s.value("hvac_mode", json()) == "cool" && s["override_until"].is_null();
                }).is_object());

    // A user command during an override ends it.
    client->clear();
    client->publish("hepek/ac/set", R"({"target_temperature":18,"expires_s":600})");
    EXPECT_TRUE(wait_payload(*client, "ac1/temperature/set", "18"));
    client->publish("hepek/ac/set", R"({"target_temperature":24})");
    EXPECT_TRUE(wait_json(*client, "hepek/ac/state", [](const json& s) {
                  return number_is(s, "target_temperature", 24) &&
                         number_is(s, "user_target_temperature", 24) && s["override_until"].is_null();
                }).is_object());

    // Someone uses the unit's remote (its command topic, not through HEPEK): that becomes the user's setting.
    // (Once the unit has confirmed our 24 °C; before that a differing report is taken for one in flight.)
    EXPECT_TRUE(client->wait_for(
        "ac1/temperature/state", [](const t::Received& m) { return m.payload == "24.0"; }, kDeadlineMs));
    client->clear();
    client->publish("ac1/temperature/set", "21");
    EXPECT_TRUE(wait_json(*client, "hepek/ac/state",
                          [](const json& s) {
                            return number_is(s, "target_temperature", 21) &&
                                   number_is(s, "user_target_temperature", 21);
                          })
                    .is_object())
        << hub.log();

    // Bad unit payloads are counted and logged once per kind; they change nothing.
    client->publish("ac1/current_temperature", "warm");
    client->publish("ac1/current_temperature", "hot");
    client->publish("ac1/mode/state", "DRYISH");
    client->publish("ac1/action", std::string(5000, 'x'));
    const json counted =
        wait_json(*client, "hepek/ac/state", [](const json& s) { return s.value("bad_payloads", 0) >= 4; });
    ASSERT_TRUE(counted.is_object()) << hub.log();
    EXPECT_EQ(counted["hvac_mode"], "cool");
    EXPECT_TRUE(counted["temperature"].is_number());
    const std::string log = hub.log();
    std::size_t logged = 0;
    for (auto at = log.find("temperature not a number"); at != std::string::npos;
         at = log.find("temperature not a number", at + 1))
      ++logged;
    EXPECT_EQ(logged, 1u) << log;
    EXPECT_NE(log.find("unknown mode"), std::string::npos);
    EXPECT_NE(log.find("oversized payload"), std::string::npos);

    // Commands the unit cannot take are refused with the field named.
    client->clear();
    client->publish("hepek/ac/set", R"({"target_temperature":50})");
    auto refused = wait_json(*client, "hepek/ac/set/result", [](const json& r) { return r.contains("ok"); });
    EXPECT_EQ(refused.value("ok", true), false);
    EXPECT_NE(refused.value("error", "").find("target_temperature"), std::string::npos) << refused.dump();
    client->clear();
    client->publish("hepek/ac/set", R"({"expires_s":60})");
    refused = wait_json(*client, "hepek/ac/set/result", [](const json& r) { return r.contains("ok"); });
    EXPECT_EQ(refused.value("ok", true), false);
    EXPECT_NE(refused.value("error", "").find("expires_s"), std::string::npos) << refused.dump();

    // The unit shuts down (it says offline on its availability topic): the device is offline.
    client->clear();
    unit.reset();
    EXPECT_TRUE(wait_payload(*client, "hepek/ac/availability", "offline")) << hub.log();
  }
  {
    // After a restart the user's setting (21 °C, cool, set on the unit) is restored and re-sent.
    t::HubProcess hub(config, data_dir, {"--for", "120s"});
    auto client = t::connect_account(data_dir, port, "admin", "admin-climate-test-2", 20000);
    ASSERT_TRUE(client) << hub.log();
    for (const char* topic : {"hepek/ac/#", "ac1/#"}) client->subscribe(topic);
    // The unit restarts too, on its own defaults (26 °C, off): when it comes online it is told the user's
    // setting, and its first reports (26, OFF) are not taken for changes made on it.
    auto unit = start_unit(data_dir, port, {"--name", "ac1", "--upper", "--mode", "off", "--target", "26"});
    EXPECT_TRUE(wait_payload(*client, "ac1/temperature/set", "21")) << hub.log();
    EXPECT_TRUE(wait_payload(*client, "ac1/mode/set", "COOL")) << hub.log();
    EXPECT_TRUE(client->wait_for(
        "ac1/temperature/state", [](const t::Received& m) { return m.payload == "21.0"; }, kDeadlineMs))
        << unit->log();
    EXPECT_TRUE(wait_payload(*client, "ac1/mode/state", "COOL")) << unit->log();
    EXPECT_TRUE(wait_payload(*client, "hepek/ac/availability", "online"));
    // The state is published on change: a bad payload (counted) makes the next one, after everything above.
    client->clear();
    client->publish("ac1/action", "thinking");
    EXPECT_TRUE(wait_json(*client, "hepek/ac/state",
                          [](const json& s) {
                            return s.value("bad_payloads", 0) >= 1 &&
                                   number_is(s, "user_target_temperature", 21) &&
                                   number_is(s, "target_temperature", 21) &&
                                   s.value("user_hvac_mode", json()) == "cool";
                          })
                    .is_object())
        << hub.log();
    // The unit went silent (frozen, still connected): offline after stale_after_s.
    client->clear();
    ASSERT_EQ(::kill(unit->process().pid(), SIGSTOP), 0);
    EXPECT_TRUE(wait_payload(*client, "hepek/ac/availability", "offline")) << hub.log();
    ::kill(unit->process().pid(), SIGCONT);
  }
}

TEST(ClimateMqtt, ReadsTheRoomFromAHepekTemperatureSensorAndOneJsonStateTopic) {
  HEPEK_REQUIRE_HUB();
  HEPEK_REQUIRE_PLUGIN("climate");
  const t::TempDir dir;
  const int port = t::free_port();
  const std::string data_dir = dir.file("data");
  const std::string config = t::write_config(
      dir.path(), port,
      "[[plugin]]\nid = \"heatpump\"\ntype = \"climate\"\n"
      "mode_command_topic = \"ac2/mode/set\"\ntemperature_command_topic = \"ac2/temperature/set\"\n"
      "mode_state_topic = \"ac2/state\"\nmode_state_json_key = \"mode\"\n"
      "temperature_state_topic = \"ac2/state\"\ntemperature_state_json_key = \"target\"\n"
      "action_topic = \"ac2/state\"\naction_json_key = \"action\"\n"
      "indoor_sensor = \"room\"\nrated_power_w = 1500\nmodes = [\"off\", \"heat\"]\n");
  t::HubProcess hub(config, data_dir, {"--for", "120s"});
  auto client = t::connect_account(data_dir, port, "admin", "admin-climate-test-3", 20000);
  ASSERT_TRUE(client) << hub.log();
  for (const char* topic : {"hepek/heatpump/#", "ac2/+/set"}) client->subscribe(topic);
  auto unit = start_unit(data_dir, port,
                         {"--name", "ac2", "--json", "--sensor", "room", "--mode", "off", "--room", "15"});

  client->publish("hepek/heatpump/set", R"({"hvac_mode":"heat","target_temperature":21})");
  EXPECT_TRUE(wait_payload(*client, "ac2/mode/set", "heat")) << hub.log();
  EXPECT_TRUE(wait_payload(*client, "ac2/temperature/set", "21"));
  // No power topic: estimated from the action (heating: rated_power_w); the room from the sensor warms.
  const json heating = wait_json(*client, "hepek/heatpump/state", [](const json& s) {
    return s.value("hvac_action", "") == "heating" && number_is(s, "power", 1500) &&
           s.value("power_estimated", false) == true && s["temperature"].is_number() &&
           s["temperature"].get<double>() > 16;
  });
  EXPECT_TRUE(heating.is_object()) << hub.log() << unit->log();
  EXPECT_TRUE(heating["comfort_min"].is_null());
  // A mode this unit does not have is refused by the plugin, naming the field.
  client->clear();
  client->publish("hepek/heatpump/set", R"({"hvac_mode":"cool"})");
  const json refused =
      wait_json(*client, "hepek/heatpump/set/result", [](const json& r) { return r.contains("ok"); });
  EXPECT_EQ(refused.value("ok", true), false);
  EXPECT_NE(refused.value("error", "").find("hvac_mode"), std::string::npos) << refused.dump();
}
