// config/examples/planner-home.toml end to end: the tariff publishes day-ahead prices, the planner re-plans every
// step live through the bus and drives the simulated battery; over the same days it must cost less than the
// self-consumption rule, and the summary must carry the planner section.
#include <gtest/gtest.h>

#include "test_support.hpp"

using namespace hepek::testing;

TEST(PlannerHome, PlannerRunsLiveAndBeatsTheRuleOnTheSameDays) {
  TempDir temp;
  auto result = run_command(
      {hepek_binary(), "--config", source_dir() + "/config/examples/planner-home.toml", "--data-dir",
       temp.path(), "simulate", "--from", "2023-08-01", "--days", "7", "--json", "--no-progress"},
      600);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto summary = nlohmann::json::parse(result.out);
  const auto& planner = summary.at("planner");
  EXPECT_GT(planner.at("replans").get<int>(), 400);
  EXPECT_LT(planner.at("cost_eur").get<double>(), planner.at("cost_rule_based_eur").get<double>())
      << planner.dump();
  // The planner's own accounting agrees with the grid meter's bill.
  EXPECT_NEAR(planner.at("cost_eur").get<double>(), summary.at("cost_eur").get<double>(), 0.02);
  EXPECT_EQ(summary.at("grid").at("balance_error_mwh"), 0);
  EXPECT_EQ(summary.at("grid").at("steps_without_tariff"), 0);
}

TEST(ExampleConfigs, EveryShippedConfigChecks) {
  for (const char* file :
       {"config/hepek.toml", "config/examples/home-sim.toml", "config/examples/planner-home.toml"}) {
    auto result = run_command({hepek_binary(), "config", "check", source_dir() + "/" + file});
    EXPECT_EQ(result.exit_code, 0) << file << "\n" << result.err;
  }
}
