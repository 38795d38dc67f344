// Integration: the real hub (`hepek run`) with operator, member and relay on a real anvil; the test plays the
// grid meter (retained hepek/grid/state) and the owner (`hepek wallet buy` through the real binary). The
// relay goes off at zero credit outside protected hours, a declined card changes nothing, a top-up brings it
// back and repays the unbilled energy; after a restart (state resumed from SQLite) zero credit inside
// protected hours keeps it on.
#include <chrono>
#include <ctime>
#include <fstream>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include <hepek/interfaces.hpp>

#include "credit_policy.hpp"
#include "test_support.hpp"

namespace {

using hepek::testing::AnvilProcess;
namespace t = hepek::testing;

// The test plays the grid meter: its retained config implements grid_meter with role "grid", so the member
// bills from its energy_import counter.
std::string grid_meter_config() {
  return hepek::Device{"grid", "Grid meter (test)", hepek::interfaces::canonical_entities("grid_meter")}
      .implements("grid_meter", "grid")
      .to_json()
      .dump();
}

std::string hhmm(int minute) {
  minute = ((minute % 1440) + 1440) % 1440;
  char text[8];
  std::snprintf(text, sizeof text, "%02d:%02d", minute / 60, minute % 60);
  return text;
}

std::string body(const std::string& url, const std::string& protected_hours) {
  return "[chain]\nendpoint = \"" + url +
         "\"\n\n"
         "[[plugin]]\nid = \"serenity\"\ntype = \"ergon\"\nrole = \"operator\"\nauto_manufacture = "
         "true\nwatch_s = 1\n\n"
         "[[plugin]]\nid = \"wallet\"\ntype = \"ergon\"\nrole = \"member\"\ngrants = [\"balance-proof\", "
         "\"transaction\"]\n"
         "device_id = \"HEPEK-LIVE\"\nmeter = \"grid\"\nrelay = \"relay\"\ncycle_s = 1\nauto_buy = \"1\"\n"
         "low_threshold = \"0.1\"\nprotected_hours = \"" +
         protected_hours +
         "\"\n\n"
         "[[plugin]]\nid = \"relay\"\ntype = \"relay\"\nbackend = \"sim\"\ndefault_state = \"on\"\n";
}

// The hub's admin account, once the broker is up (accounts.json maps account → password).
std::unique_ptr<t::MqttClient> connect_admin(int port, const std::string& data, const std::string& id) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::ifstream(data + "/broker/accounts.json")) {
      const auto credentials = t::accounts(data);
      if (credentials.contains("admin")) {
        auto client =
            std::make_unique<t::MqttClient>(port, "admin", credentials["admin"].get<std::string>(), id);
        if (client->connected()) return client;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return nullptr;
}

bool field_is(const t::Received& m, const char* field, const std::string& value) {
  const auto json = nlohmann::json::parse(m.payload, nullptr, false);
  return json.is_object() && json.contains(field) && json[field].is_string() && json[field] == value;
}

TEST(ErgonLive, RelayFollowsCreditProtectedHoursAndTopUps) {
  HEPEK_REQUIRE_ANVIL();
  AnvilProcess anvil;
  t::TempDir dir;
  const int port = t::free_port();
  const std::string data = dir.path() + "/data";
  const int now_minute =
      hepek::ergon::local_minute_of_day(std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count(),
                                        "Europe/Amsterdam");
  const std::string outside = hhmm(now_minute + 180) + "-" + hhmm(now_minute + 240);
  const std::string inside = hhmm(now_minute - 60) + "-" + hhmm(now_minute + 120);
  std::string config = t::write_config(dir.path(), port, body(anvil.url(), outside));
  {
    t::HubProcess hub(config, data);
    auto client = connect_admin(port, data, "admin-ergon-live-test");
    ASSERT_TRUE(client) << hub.log();
    t::MqttClient& bus = *client;
    bus.subscribe("hepek/#");
    bus.publish("hepek/grid/config", grid_meter_config(), 1, true);
    bus.publish("hepek/grid/state", R"({"energy_import": 0})", 1, true);
    ASSERT_TRUE(bus.wait_for(
        "hepek/wallet", [](const auto& m) { return field_is(m, "deposit", "1000000000000000000"); }, 30000))
        << hub.log();
    bus.publish("hepek/grid/config", grid_meter_config(), 1, true);
    bus.publish("hepek/grid/state", R"({"energy_import": 2000.4})", 1, true);  // 2 kWh × 0.25 = 0.5 ERGON
    ASSERT_TRUE(bus.wait_for(
        "hepek/wallet", [](const auto& m) { return field_is(m, "spent", "500000000000000000"); }, 10000))
        << hub.log();
    bus.publish("hepek/grid/config", grid_meter_config(), 1, true);
    bus.publish("hepek/grid/state", R"({"energy_import": 5000})", 1, true);  // 1.25 ERGON due, 1 deposited
    ASSERT_TRUE(bus.wait_for(
        "hepek/relay/state", [](const auto& m) { return field_is(m, "state", "off"); }, 10000))
        << hub.log();
    ASSERT_TRUE(bus.wait_for(
        "hepek/wallet", [](const auto& m) { return field_is(m, "credit_state", "cut"); }, 5000));

    // Registry admin through the CLI: manufacture, then the same id again is refused with the contract's
    // error.
    const std::vector<std::string> manufacture = {t::hepek_binary(),
                                                  "--config",
                                                  config,
                                                  "--data-dir",
                                                  data,
                                                  "operator",
                                                  "manufacture",
                                                  "--device-id",
                                                  "HEPEK-OTHER",
                                                  "--address",
                                                  "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"};
    const auto made = t::run_command(manufacture);
    EXPECT_EQ(made.exit_code, 0) << made.out << made.err;
    EXPECT_NE(made.out.find("manufactured"), std::string::npos) << made.out;
    const auto again = t::run_command(manufacture);
    EXPECT_EQ(again.exit_code, 1) << again.out << again.err;
    EXPECT_NE(again.out.find("DeviceIdAlreadyRegistered"), std::string::npos) << again.out;
    const auto bad = t::run_command({t::hepek_binary(), "--config", config, "--data-dir", data, "operator",
                                     "manufacture", "--device-id", "X", "--address", "0x1234"});
    EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;

    const auto declined = t::run_command({t::hepek_binary(), "--config", config, "--data-dir", data, "wallet",
                                          "buy", "1", "--card", "4000000000000002"});
    EXPECT_EQ(declined.exit_code, 1) << declined.out << declined.err;
    EXPECT_NE(declined.out.find("declined: card declined"), std::string::npos)
        << declined.out << declined.err;
    const auto bought = t::run_command({t::hepek_binary(), "--config", config, "--data-dir", data, "wallet",
                                        "buy", "2", "--card", "4242 4242 4242 4242"});
    EXPECT_EQ(bought.exit_code, 0) << bought.out << bought.err;
    EXPECT_NE(bought.out.find("minted"), std::string::npos) << bought.out;
    ASSERT_TRUE(bus.wait_for(
        "hepek/relay/state", [](const auto& m) { return field_is(m, "state", "on"); }, 15000))
        << hub.log();
    // The 1 kWh that could not be paid before the top-up is billed from it.
    ASSERT_TRUE(bus.wait_for(
        "hepek/wallet", [](const auto& m) { return field_is(m, "spent", "1250000000000000000"); }, 10000))
        << hub.log();
    hub.terminate();
  }
  // Restart inside protected hours: the wallet resumes from its database; zero credit keeps the supply on.
  config = t::write_config(dir.path(), port, body(anvil.url(), inside));
  t::HubProcess hub(config, data);
  auto client = connect_admin(port, data, "admin-ergon-live-test-2");
  ASSERT_TRUE(client) << hub.log();
  t::MqttClient& bus = *client;
  bus.subscribe("hepek/#");
  ASSERT_TRUE(bus.wait_for(
      "hepek/wallet", [](const auto& m) { return field_is(m, "deposit", "3000000000000000000"); }, 30000))
      << hub.log();
  bus.publish("hepek/grid/config", grid_meter_config(), 1, true);
  bus.publish("hepek/grid/state", R"({"energy_import": 20000})", 1,
              true);  // far more than the 1.75 ERGON left
  ASSERT_TRUE(bus.wait_for(
      "hepek/wallet", [](const auto& m) { return field_is(m, "credit_state", "protected"); }, 15000))
      << hub.log();
  for (const auto& m : bus.messages()) {
    if (m.topic == "hepek/relay/set") {
      EXPECT_FALSE(field_is(m, "state", "off")) << "relay cut inside protected hours";
    }
  }
  hub.terminate();
}

}  // namespace
