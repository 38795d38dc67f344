// Integration: `hepek simulate` of the prepaid home (plugins/ergon/prepaid-home.toml.example) for a week
// against a real anvil whose genesis is the simulation's start: the summary's "chain" section is present and
// reconciles (tokens spent + refunded = deposit, spent = operator receipts, one proof per billed cycle, two
// channel transactions); a member without the signing grants is refused by the key store and opens nothing.
#include <filesystem>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "hepek/eth/uint256.hpp"
#include "test_support.hpp"

namespace {

using hepek::testing::AnvilProcess;
namespace t = hepek::testing;

constexpr std::uint64_t kStart = 1704063600;  // 2024-01-01T00:00:00+01:00

std::string config_for(const std::string& url, const std::string& data_dir,
                       const std::string& edit_regex = {}, const std::string& replacement = {}) {
  std::string text = t::read_file(t::source_dir() + "/plugins/ergon/prepaid-home.toml.example");
  text = std::regex_replace(text, std::regex(R"(endpoint = "embedded")"), "endpoint = \"" + url + "\"");
  text = std::regex_replace(text, std::regex(R"(data_dir = "[^"]*")"), "data_dir = \"" + data_dir + "\"");
  if (!edit_regex.empty()) text = std::regex_replace(text, std::regex(edit_regex), replacement);
  return text;
}

nlohmann::json simulate(const std::string& config_path, int days, std::string* log = nullptr) {
  const auto result = t::run_command({t::hepek_binary(), "--config", config_path, "simulate", "--from",
                                      "2024-01-01", "--days", std::to_string(days), "--json"},
                                     300);
  if (log) *log = result.err;
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return nlohmann::json::parse(result.out, nullptr, false);
}

// The example exactly as proposed, on the core's embedded chain (its own anvil on a free port).
TEST(ErgonSimulate, AWeekOfPrepaidHomeReconciles) {
  HEPEK_REQUIRE_ANVIL();
  t::TempDir dir;
  const std::string config = dir.path() + "/prepaid-home.toml";
  t::write_file(config, config_for("embedded\"\nport = " + std::to_string(t::free_port()) + "\n#\"",
                                   dir.path() + "/data"));
  const nlohmann::json summary = simulate(config, 7);
  ASSERT_TRUE(summary.contains("chain")) << summary.dump();
  const auto& chain = summary["chain"];
  using hepek::eth::parse_uint256;
  const auto spent = parse_uint256(chain["tokens_spent"].get<std::string>());
  const auto refunded = parse_uint256(chain["tokens_refunded"].get<std::string>());
  EXPECT_EQ(spent + refunded, hepek::eth::parse_units("20", 18));  // the deposit, to the base unit
  EXPECT_EQ(chain["operator_receipts"].get<std::string>(), chain["tokens_spent"].get<std::string>());
  EXPECT_EQ(chain["channel_transactions"], 2);  // open + close, however many cycles
  EXPECT_GT(chain["proofs_signed"].get<int>(), 100);
  EXPECT_EQ(chain["proofs_signed"], chain["proofs_accepted"]);
  EXPECT_EQ(chain["proofs_rejected"], 0);
  EXPECT_GT(chain["gas_used"].get<int>(), 0);
  // Billed from the channel's opening (the first half hour of the week is registration and purchase) to the
  // close, each cycle rounded up: spent is import × tariff minus that first unbilled import, never more than
  // the whole.
  const double import_kwh = summary["energy_kwh"]["import"].get<double>();
  const double spent_ergon = static_cast<double>(spent / hepek::eth::uint256(1000000000000ULL)) / 1e6;
  EXPECT_LE(spent_ergon, import_kwh * 0.25 + 1e-9 * chain["proofs_signed"].get<double>());
  EXPECT_GE(spent_ergon, (import_kwh - 0.5) * 0.25);
}

TEST(ErgonSimulate, MemberWithoutSigningGrantsIsRefused) {
  HEPEK_REQUIRE_ANVIL();
  AnvilProcess anvil(kStart - 100);
  t::TempDir dir;
  const std::string config = dir.path() + "/prepaid-home.toml";
  t::write_file(config, config_for(anvil.url(), dir.path() + "/data", R"(grants = \[[^\]]*\]\n)", ""));
  std::string log;
  const nlohmann::json summary = simulate(config, 1, &log);
  EXPECT_NE(log.find("denied"), std::string::npos) << log;
  EXPECT_NE(log.find("refused to sign for purpose \"transaction\""), std::string::npos) << log;
  EXPECT_EQ(summary["chain"]["channel_transactions"], 0);
  EXPECT_EQ(summary["chain"]["proofs_signed"], 0);
}

}  // namespace
