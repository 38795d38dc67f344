// Integration (issue 8): the member bills from ANY grid meter found by its interface. `hepek simulate` of the
// prepaid home (plugins/ergon/prepaid-home.toml.example) on the embedded anvil, with the member's meter
// replaced by meter-dsmr replaying a P1 file generated here (DSMR 5 telegrams with valid CRCs, the import
// counter rising 250 Wh per telegram, one telegram per 15-minute step): proofs are signed and accepted and
// the tokens spent follow the replayed import. A member pointed at a device that does not implement
// grid_meter (the household load) says so in the log and bills nothing, instead of billing nothing silently.
#include <cstdio>
#include <regex>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {

namespace t = hepek::testing;

// CRC-16/ARC over the telegram from '/' to '!' inclusive, as DSMR 4+ meters append it.
std::uint16_t crc16_arc(const std::string& bytes) {
  std::uint16_t crc = 0;
  for (const unsigned char byte : bytes) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001) : crc >> 1;
  }
  return crc;
}

std::string kwh(std::int64_t wh) {
  char text[32];
  std::snprintf(text, sizeof text, "%06lld.%03lld", static_cast<long long>(wh / 1000),
                static_cast<long long>(wh % 1000));
  return text;
}

// `count` telegrams; telegram k has imported start_wh + k × step_wh in total (split over the two tariffs).
std::string p1_file(int count, std::int64_t start_wh, std::int64_t step_wh) {
  std::string file;
  for (int k = 0; k < count; ++k) {
    const std::int64_t total = start_wh + k * step_wh;
    const std::int64_t tariff1 = total / 2, tariff2 = total - tariff1;
    std::string telegram =
        "/ISK5\\2M550T-1012\r\n\r\n1-3:0.2.8(50)\r\n0-0:1.0.0(240101000000W)\r\n"
        "0-0:96.1.1(4B384547303034303436333935353037)\r\n"
        "1-0:1.8.1(" +
        kwh(tariff1) + "*kWh)\r\n1-0:1.8.2(" + kwh(tariff2) +
        "*kWh)\r\n1-0:2.8.1(000000.000*kWh)\r\n1-0:2.8.2(000000.000*kWh)\r\n"
        "0-0:96.14.0(0002)\r\n1-0:1.7.0(01.000*kW)\r\n1-0:2.7.0(00.000*kW)\r\n!";
    char crc[8];
    std::snprintf(crc, sizeof crc, "%04X", crc16_arc(telegram));
    file += telegram + crc + "\r\n";
  }
  return file;
}

std::string prepaid_home_with_p1(const std::string& dir, const std::string& member_meter) {
  std::string text = t::read_file(t::source_dir() + "/plugins/ergon/prepaid-home.toml.example");
  text = std::regex_replace(text, std::regex(R"(endpoint = "embedded")"),
                            "endpoint = \"embedded\"\nport = " + std::to_string(t::free_port()));
  text = std::regex_replace(text, std::regex(R"(data_dir = "[^"]*")"), "data_dir = \"" + dir + "/data\"");
  text = std::regex_replace(text, std::regex(R"(meter = "grid")"), "meter = \"" + member_meter + "\"");
  text +=
      "\n[[plugin]]\nid = \"p1\"\ntype = \"meter-dsmr\"\nsource = \"file\"\npath = \"" + dir + "/p1.txt\"\n";
  return text;
}

struct SimulationRun {
  nlohmann::json summary;
  std::string log;
};

SimulationRun simulate_two_days(const std::string& member_meter) {
  t::TempDir dir;
  t::write_file(dir.path() + "/p1.txt", p1_file(2 * 96 + 4, 1'000'000, 250));
  t::write_file(dir.path() + "/prepaid-home.toml", prepaid_home_with_p1(dir.path(), member_meter));
  const auto result = t::run_command({t::hepek_binary(), "--config", dir.path() + "/prepaid-home.toml",
                                      "simulate", "--from", "2024-01-01", "--days", "2", "--json"},
                                     300);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return {nlohmann::json::parse(result.out, nullptr, false), result.err};
}

}  // namespace

TEST(DsmrBilling, MeterDsmrReplayIsTheMembersBillingMeterOnTheRealChain) {
  const SimulationRun run = simulate_two_days("p1");
  ASSERT_TRUE(run.summary.is_object() && run.summary.contains("chain")) << run.summary.dump() << run.log;
  const auto& chain = run.summary["chain"];
  EXPECT_GT(chain["proofs_signed"].get<int>(), 50)
      << run.log;  // one per 15-minute cycle once the channel is open
  EXPECT_EQ(chain["proofs_signed"], chain["proofs_accepted"]);
  EXPECT_EQ(chain["proofs_rejected"], 0);
  EXPECT_EQ(run.log.find("cannot be billed from"), std::string::npos) << run.log;
  // 250 Wh per step at 0.25 ERGON/kWh = 0.0625 ERGON per billed cycle: what is spent is that, cycle by cycle.
  const std::string spent = chain["tokens_spent"].get<std::string>();
  ASSERT_GT(spent.size(), 18u) << spent;  // more than 1 ERGON
  const double spent_ergon = std::stod(spent.substr(0, spent.size() - 12)) / 1e6;
  EXPECT_NEAR(spent_ergon, chain["proofs_signed"].get<double>() * 0.0625, 0.0625 * 2) << spent;
}

TEST(DsmrBilling, AMeterWithoutTheGridMeterInterfaceIsALoudErrorNotSilence) {
  const SimulationRun run = simulate_two_days("load");  // sim-load implements "load", not "grid_meter"
  ASSERT_TRUE(run.summary.is_object() && run.summary.contains("chain")) << run.log;
  EXPECT_NE(run.log.find(
                "meter \"load\" cannot be billed from: device \"load\" does not declare the \"grid_meter\" "
                "interface"),
            std::string::npos)
      << run.log;
  EXPECT_EQ(run.summary["chain"]["proofs_signed"], 0);
}
