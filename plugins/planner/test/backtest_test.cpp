#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include <hepek/timeseries/csv_table.hpp>
#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>

#include "backtest.hpp"
#include "test_support.hpp"

using namespace hepek::planner;
using namespace hepek::timeseries;

namespace {
std::string shared(const std::string& path) {
  return hepek::testing::testdata(path);
}
std::vector<std::string> base_args() {
  return {"--prices",
          shared("prices/nl_day_ahead_2023_hourly.csv"),
          "--household",
          shared("household/ausgrid_home12_retimed_2023_jul_nov_30min.csv"),
          "--battery-kwh",
          "10",
          "--battery-kw",
          "5",
          "--import-fee",
          "100",
          "--export-price-file",
          shared("prices/nl_day_ahead_2023_hourly.csv")};
}
}  // namespace

TEST(BacktestArguments, DefaultsAndErrors) {
  auto args = base_args();
  args.insert(args.end(), {"--from", "2023-08-01", "--days", "3", "--json"});
  bool json = false;
  const auto options = parse_backtest_arguments(args, &json);
  EXPECT_TRUE(json);
  EXPECT_DOUBLE_EQ(options.round_trip_efficiency, 0.9);
  EXPECT_FALSE(options.soc_start_kwh.has_value());
  EXPECT_EQ(options.days, 3);

  auto conflicting = args;
  conflicting.push_back("--no-export");
  EXPECT_THROW(parse_backtest_arguments(conflicting, nullptr), std::invalid_argument);
  auto unknown = args;
  unknown.push_back("--frobnicate");
  EXPECT_THROW(parse_backtest_arguments(unknown, nullptr), std::invalid_argument);
  auto bad_number = args;
  bad_number.insert(bad_number.end(), {"--battery-efficiency", "1.5"});
  EXPECT_THROW(parse_backtest_arguments(bad_number, nullptr), std::invalid_argument);
}

TEST(Backtest, ShortWindowIsConsistent) {
  auto args = base_args();
  args.insert(args.end(), {"--from", "2023-10-28", "--days", "2", "--monthly"});  // includes the 25-hour day
  const auto result = run_backtest(parse_backtest_arguments(args, nullptr));
  EXPECT_EQ(result.at("days"), 2);
  EXPECT_EQ(result.at("steps"), 2 * 48 + 2);  // 30-minute steps, one extra hour on 2023-10-29
  EXPECT_EQ(result.at("gaps_filled"), 2);     // the household's missing autumn hour
  // The strict oracle (may empty the battery at the end) is a lower bound for every strategy.
  const double none = result.at("cost_no_battery_eur"), oracle = result.at("cost_oracle_strict_eur");
  const double planner = result.at("cost_planner_eur"), rule = result.at("cost_rule_based_eur");
  EXPECT_LE(oracle, planner + 0.01);
  EXPECT_LE(oracle, rule + 0.01);
  EXPECT_LT(oracle, none);
  ASSERT_EQ(result.at("months").size(), 1u);
  EXPECT_EQ(result.at("months")[0].at("month"), "2023-10");
  EXPECT_GT(result.at("solve_ms").at("median").get<double>(), 0);
}

TEST(Backtest, WindowOutsideTheDataIsAClearError) {
  auto args = base_args();
  args.insert(args.end(), {"--from", "2023-12-20", "--days", "30"});
  try {
    run_backtest(parse_backtest_arguments(args, nullptr));
    FAIL() << "accepted a window beyond the data";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("not the whole window"), std::string::npos) << e.what();
  }
}

TEST(Backtest, NoExportCurtailsInsteadOfExporting) {
  auto args = base_args();
  args.erase(args.end() - 2, args.end());  // drop --export-price-file
  args.insert(args.end(), {"--no-export", "--from", "2023-09-10", "--days", "2"});
  const auto result = run_backtest(parse_backtest_arguments(args, nullptr));
  EXPECT_LE(result.at("cost_oracle_eur").get<double>(), result.at("cost_no_battery_eur").get<double>());
}
