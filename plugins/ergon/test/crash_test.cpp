// Crash test: the real hub (operator + member in one process, so each kill takes both down at that point of
// the protocol) is SIGKILLed at a fixed, seeded list of kill points — before/after the member stores a proof,
// after it sends it, before/after the operator stores it, after it acknowledges — then restarted. The test
// plays the meter (100 Wh per step, 0.025 ERGON at 0.25 ERGON/kWh: no rounding). At the end no proof is lost
// (the member's spent amount pays exactly the metered energy since the channel opened), none counted twice
// (the operator's proofs have strictly growing amounts, one per cycle) and both sides hold the same latest
// proof.
#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include <hepek/interfaces.hpp>

#include "member_store.hpp"
#include "operator_store.hpp"
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
namespace e = hepek::eth;

std::unique_ptr<t::MqttClient> connect_admin(int port, const std::string& data) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::ifstream(data + "/broker/accounts.json")) {
      const auto credentials = t::accounts(data);
      if (credentials.contains("admin")) {
        auto client = std::make_unique<t::MqttClient>(port, "admin", credentials["admin"].get<std::string>(),
                                                      "admin-crash-test");
        if (client->connected()) return client;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return nullptr;
}

bool acked_at(const t::Received& m, std::uint64_t meter_wh, std::uint64_t baseline) {
  const auto json = nlohmann::json::parse(m.payload, nullptr, false);
  if (!json.is_object() || !json.value("last_proof_acked", false) || !json.contains("last_proof") ||
      !json["last_proof"].is_object())
    return false;
  return json["last_proof"]["cumulative_import_wh"] == std::to_string(meter_wh - baseline);
}

TEST(ErgonCrash, KillPointsLoseNothingCountNothingTwiceAndBothAgree) {
  HEPEK_REQUIRE_ANVIL();
  AnvilProcess anvil;
  t::TempDir dir;
  const int port = t::free_port();
  const std::string data = dir.path() + "/data";
  const std::string config = t::write_config(
      dir.path(), port,
      "[chain]\nendpoint = \"" + anvil.url() +
          "\"\n\n"
          "[[plugin]]\nid = \"serenity\"\ntype = \"ergon\"\nrole = \"operator\"\nauto_manufacture = true\n\n"
          "[[plugin]]\nid = \"wallet\"\ntype = \"ergon\"\nrole = \"member\"\ngrants = [\"balance-proof\", "
          "\"transaction\"]\n"
          "device_id = \"HEPEK-CRASH\"\nmeter = \"grid\"\nrelay = \"\"\ncycle_s = 1\nauto_buy = \"5\"\n");
  std::vector<std::string> points = {"member.before_store",   "member.after_store",   "member.after_send",
                                     "operator.before_store", "operator.after_store", "operator.after_ack"};
  std::mt19937 rng(4242);
  std::shuffle(points.begin(), points.end(), rng);

  std::uint64_t meter = 1000;
  const std::uint64_t baseline = 1000;  // the reading when the channel opens
  // First start: open the channel at the baseline.
  {
    t::HubProcess hub(config, data);
    auto bus = connect_admin(port, data);
    ASSERT_TRUE(bus) << hub.log();
    bus->subscribe("hepek/wallet");
    bus->publish("hepek/grid/config", grid_meter_config(), 1, true);
    bus->publish("hepek/grid/state", nlohmann::json{{"energy_import", meter}}.dump(), 1, true);
    ASSERT_TRUE(bus->wait_for(
        "hepek/wallet",
        [](const auto& m) {
          const auto json = nlohmann::json::parse(m.payload, nullptr, false);
          return json.is_object() && !json.value("channel_id", "").empty();
        },
        30000))
        << hub.log();
    hub.terminate();
  }
  for (const auto& point : points) {
    const std::string spec = point + "@" + std::to_string(1 + rng() % 2);
    ::setenv("HEPEK_ERGON_CRASH", spec.c_str(), 1);
    {
      t::HubProcess hub(config, data);
      ::unsetenv("HEPEK_ERGON_CRASH");
      auto bus = connect_admin(port, data);
      ASSERT_TRUE(bus) << spec << hub.log();
      int status = -1;
      for (int i = 0; i < 40 && status == -1; ++i) {  // feed the meter until the kill point fires
        meter += 100;
        bus->publish("hepek/grid/config", grid_meter_config(), 1, true);
        bus->publish("hepek/grid/state", nlohmann::json{{"energy_import", meter}}.dump(), 1, true);
        status = hub.wait(700);
      }
      ASSERT_NE(status, -1) << spec << " never fired\n" << hub.log();
    }
    // Restart without the fault: the member resends what it stored, the operator re-acks or accepts it.
    t::HubProcess hub(config, data);
    auto bus = connect_admin(port, data);
    ASSERT_TRUE(bus) << hub.log();
    bus->subscribe("hepek/wallet");
    meter += 100;
    bus->publish("hepek/grid/config", grid_meter_config(), 1, true);
    bus->publish("hepek/grid/state", nlohmann::json{{"energy_import", meter}}.dump(), 1, true);
    ASSERT_TRUE(bus->wait_for(
        "hepek/wallet", [&](const auto& m) { return acked_at(m, meter, baseline); }, 30000))
        << "after " << spec << "\n"
        << hub.log();
    hub.terminate();
  }

  hepek::ergon::MemberStore member(data + "/plugins/wallet/member.db");
  hepek::ergon::OperatorStore op(data + "/plugins/serenity/operator.db");
  const auto channel = e::bytes32_from_hex(member.meta("channel_id"));
  const auto mine = member.latest(channel);
  const auto theirs = op.latest_proof(channel);
  ASSERT_TRUE(mine && theirs);
  EXPECT_TRUE(mine->acked);
  EXPECT_EQ(mine->signed_proof.proof.cycle, theirs->cycle);
  EXPECT_EQ(mine->signed_proof.proof.cumulative_amount, theirs->cumulative_amount);
  EXPECT_EQ(mine->signed_proof.signature, theirs->signature);
  // Nothing lost: every Wh since the baseline is paid, at 0.25 ERGON per kWh.
  EXPECT_EQ(theirs->cumulative_import_wh, meter - baseline);
  EXPECT_EQ(theirs->cumulative_amount, e::uint256(meter - baseline) * e::parse_units("0.25", 18) / 1000);
  // Nothing twice: one stored proof per cycle on both sides.
  EXPECT_EQ(op.proof_count(channel), member.proof_count());
}

}  // namespace
