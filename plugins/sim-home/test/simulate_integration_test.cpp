// Runs the real hub: `hepek simulate` on the simulated home (config/examples/home-sim.toml, or this folder's
// home-sim.toml.example until the lead moves it) — a year twice (identical bytes, exact energy balance), and
// a day with the relay switched off for one hour that imported energy in the baseline (no import in that
// hour).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
namespace t = hepek::testing;
using Outcome = t::CommandResult;

std::string base_config_path() {
  const std::string moved = t::source_dir() + "/config/examples/home-sim.toml";
  return fs::exists(moved) ? moved : t::source_dir() + "/plugins/sim-home/home-sim.toml.example";
}

// One scratch directory for the configs and data of this test program.
const t::TempDir& scratch() {
  static const t::TempDir dir;
  return dir;
}

Outcome run_simulate(const std::string& config, const std::string& from, int days) {
  t::CommandOptions options;
  options.timeout_s = 600;
  options.environment = {{"HEPEK_DATA_DIR", scratch().file("data")}};
  return t::run_hepek({"simulate", "--config", config, "--from", from, "--days", std::to_string(days),
                       "--json", "--no-progress"},
                      options);
}

// Runs `hepek simulate` and returns stdout; fails the test with stderr on a non-zero exit.
std::string simulate(const std::string& config, const std::string& from, int days) {
  Outcome outcome = run_simulate(config, from, days);
  EXPECT_EQ(outcome.exit_code, 0) << config << "\n" << outcome.err;
  return outcome.out;
}

void check_balance(const nlohmann::json& summary) {
  const auto& e = summary.at("energy_mwh");
  const std::int64_t load = e.at("load"), pv = e.at("pv"), spilled = e.at("pv_spilled"),
                     discharge = e.at("battery_discharge"), charge = e.at("battery_charge"),
                     import = e.at("import"), export_ = e.at("export"), unserved = e.at("unserved");
  EXPECT_EQ(load, pv - spilled + discharge + import - charge - export_ + unserved) << summary.dump();
  EXPECT_EQ(summary.at("grid").at("balance_error_mwh"), 0);
  EXPECT_EQ(summary.at("grid").at("steps"), summary.at("steps"));  // every step was netted
  // The kWh figures are the mWh counters rounded to whole Wh.
  for (const char* key : {"load", "pv", "import", "export", "battery_charge", "battery_discharge"}) {
    const std::int64_t mwh = e.at(key);
    EXPECT_DOUBLE_EQ(summary.at("energy_kwh").at(key).get<double>(),
                     static_cast<double>((mwh + 500) / 1000) / 1000.0)
        << key;
  }
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "the config has no `" << from << "`";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string write_config(const std::string& name, const std::string& text) {
  return scratch().write(name, text);
}

}  // namespace

TEST(SimulateHomeSim, YearIsDeterministicAndBalancedExactly) {
  HEPEK_REQUIRE_HUB();
  const std::string first = simulate(base_config_path(), "2024-01-01", 365);
  const std::string second = simulate(base_config_path(), "2024-01-01", 365);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first, second);
  const auto summary = nlohmann::json::parse(first);
  EXPECT_EQ(summary.at("steps"), 365 * 96);
  check_balance(summary);
  // A prosumer home with 5 kWp: PV well above a quarter of the load, both import and export happen.
  EXPECT_GT(summary.at("energy_kwh").at("pv").get<double>(), 3000);
  EXPECT_GT(summary.at("energy_kwh").at("import").get<double>(), 100);
  EXPECT_GT(summary.at("energy_kwh").at("export").get<double>(), 100);
  EXPECT_TRUE(summary.at("cost_eur").is_number());
}

TEST(SimulateHomeSim, RelayOffForAnHourMeansNoImportInThatHour) {
  HEPEK_REQUIRE_HUB();
  std::string hours = "[";
  for (int hour = 0; hour < 24; ++hour) {
    char period[96];
    std::snprintf(period, sizeof period, "\"2024-01-15T%02d:00:00+01:00/2024-01-15T%02d:00:00+01:00\"", hour,
                  hour + 1);
    if (hour == 23)
      std::snprintf(period, sizeof period, "\"2024-01-15T23:00:00+01:00/2024-01-16T00:00:00+01:00\"");
    hours += std::string(hour ? "," : "") + period;
  }
  hours += "]";
  const std::string base =
      t::read_file(base_config_path()) + "\nreport_periods = " + hours + "\n";  // grid is last
  const auto baseline = nlohmann::json::parse(simulate(write_config("baseline.toml", base), "2024-01-15", 1));
  check_balance(baseline);
  const auto& base_periods = baseline.at("grid").at("periods");
  ASSERT_EQ(base_periods.size(), 24u);
  int chosen = -1;
  for (int hour = 17; hour < 24 && chosen < 0; ++hour)  // an evening hour that imports with the relay on
    if (base_periods[hour].at("import_mwh").get<std::int64_t>() > 0) chosen = hour;
  for (int hour = 0; hour < 24 && chosen < 0; ++hour)
    if (base_periods[hour].at("import_mwh").get<std::int64_t>() > 0) chosen = hour;
  ASSERT_GE(chosen, 0) << "the baseline day never imports: " << baseline.dump();

  const std::string off_period = base_periods[chosen].at("period");
  const std::string cut = replace_once(base, "default_state = \"on\"",
                                       "default_state = \"on\"\noff_periods = [\"" + off_period + "\"]");
  const auto off = nlohmann::json::parse(simulate(write_config("relay-off.toml", cut), "2024-01-15", 1));
  check_balance(off);
  const auto& periods = off.at("grid").at("periods");
  EXPECT_EQ(periods[chosen].at("steps"), 4);
  EXPECT_EQ(periods[chosen].at("import_mwh"), 0) << off_period;
  EXPECT_EQ(periods[chosen].at("export_mwh"), 0) << off_period;
  EXPECT_GT(off.at("energy_mwh").at("unserved").get<std::int64_t>() +
                (off.at("energy_mwh").at("battery_discharge").get<std::int64_t>() -
                 baseline.at("energy_mwh").at("battery_discharge").get<std::int64_t>()),
            0);  // the load was left unserved or the battery covered it instead
  EXPECT_DOUBLE_EQ(off.at("relay").at("relay").at("off_hours").get<double>(), 1.0);
  // Before the cut both runs are the same, step for step.
  for (int hour = 0; hour < chosen; ++hour) EXPECT_EQ(periods[hour], base_periods[hour]) << hour;
}

TEST(SimulateHomeSim, CsvLoadOutsideItsDataFailsClearlyOrWraps) {
  HEPEK_REQUIRE_HUB();
  const std::string csv = t::testdata("household/ausgrid_home12_retimed_2023_jul_nov_30min.csv");
  const std::string base = t::read_file(base_config_path());
  const std::string from_csv =
      replace_once(base, "source = \"synthetic\"", "source = \"csv\"\ncsv = \"" + csv + "\"");
  // 2024 is outside the data (2023-06-30 .. 2023-11-27): the hub refuses to run and says why.
  const Outcome refused = run_simulate(write_config("csv.toml", from_csv), "2024-01-01", 1);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("has no `load_w` data for 2023-12-31T23:00:00Z"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("wrap = true"), std::string::npos) << refused.err;
  // With wrap = true the same week of 2024 replays whole weeks of the data, balanced.
  const std::string wrapped = replace_once(from_csv, "source = \"csv\"", "source = \"csv\"\nwrap = true");
  const auto summary =
      nlohmann::json::parse(simulate(write_config("csv-wrap.toml", wrapped), "2024-01-01", 7));
  check_balance(summary);
  EXPECT_FALSE(summary.contains("errors"));
  EXPECT_GT(summary.at("energy_kwh").at("load").get<double>(), 20);
  // Inside the data, the load is the CSV's: 2023-07-03 (a Monday) replayed equals the file's own day.
  const auto inside = nlohmann::json::parse(simulate(write_config("csv-in.toml", from_csv), "2023-07-03", 1));
  const auto wrapped_day =
      nlohmann::json::parse(simulate(write_config("csv-wrap2.toml", wrapped), "2023-07-03", 1));
  EXPECT_EQ(inside.at("energy_mwh").at("load"), wrapped_day.at("energy_mwh").at("load"));
}

namespace {

// config/examples/ac-home.toml in the scratch folder (its relative data path made absolute), with `hvac_mode`.
std::string ac_home_config(const std::string& mode) {
  std::string text = t::read_file(t::source_dir() + "/config/examples/ac-home.toml");
  text = replace_once(text, "\"../../testdata/", "\"" + t::source_dir() + "/testdata/");
  text = replace_once(text, "hvac_mode = \"auto\"", "hvac_mode = \"" + mode + "\"");
  return write_config("ac-home-" + mode + ".toml", text);
}

nlohmann::json ac_home_run(const std::string& mode, const std::string& from) {
  const nlohmann::json summary = nlohmann::json::parse(simulate(ac_home_config(mode), from, 14));
  const auto& house = summary.at("house");
  for (const char* key :
       {"indoor_temp_c_min", "indoor_temp_c_max", "outdoor_temp_c_min", "outdoor_temp_c_max", "ac_energy_kwh",
        "ac_thermal_kwh", "comfort_violation_degree_hours", "mean_cop"})
    EXPECT_TRUE(house.at(key).is_number()) << key << " in " << house.dump();
  EXPECT_EQ(summary.at("grid").at("balance_error_mwh"), 0);
  EXPECT_EQ(summary.at("grid").at("steps"), 14 * 96);
  // The AC is a consumer on the meter: load + AC = PV − spilled + import − export + unserved, to the mWh.
  const auto& e = summary.at("energy_mwh");
  EXPECT_EQ(e.at("load").get<std::int64_t>() + e.at("ac").get<std::int64_t>(),
            e.at("pv").get<std::int64_t>() - e.at("pv_spilled").get<std::int64_t>() +
                e.at("import").get<std::int64_t>() - e.at("export").get<std::int64_t>() +
                e.at("unserved").get<std::int64_t>());
  return summary;
}

}  // namespace

TEST(SimulateAcHome, SummerTheAcKeepsTheComfortBandWithoutItTheHouseOverheats) {
  HEPEK_REQUIRE_HUB();
  const nlohmann::json with = ac_home_run("auto", "2023-07-01").at("house");
  EXPECT_GT(with.at("outdoor_temp_c_max").get<double>(), 30.0);  // De Bilt, 2023-07-01..14 (KNMI)
  EXPECT_GT(with.at("ac_cooling_kwh").get<double>(), 10.0);
  EXPECT_LE(with.at("indoor_temp_c_max").get<double>(), 25.0);
  EXPECT_LT(with.at("comfort_violation_degree_hours").get<double>(), 1.0);
  EXPECT_GT(with.at("mean_cop").get<double>(), 2.5);
  const nlohmann::json without = ac_home_run("off", "2023-07-01").at("house");
  EXPECT_EQ(without.at("ac_energy_kwh"), 0.0);
  EXPECT_GT(without.at("indoor_temp_c_max").get<double>(), 26.0);
  EXPECT_GT(without.at("comfort_violation_degree_hours").get<double>(), 50.0);
}

TEST(SimulateAcHome, WinterTheHeatPumpHeatsWithoutItTheHouseGetsCold) {
  HEPEK_REQUIRE_HUB();
  const nlohmann::json with = ac_home_run("auto", "2023-01-10").at("house");
  EXPECT_LT(with.at("outdoor_temp_c_min").get<double>(), 0.0);
  EXPECT_GE(with.at("indoor_temp_c_min").get<double>(), 19.0);
  EXPECT_LT(with.at("comfort_violation_degree_hours").get<double>(), 1.0);
  EXPECT_GT(with.at("ac_heating_kwh").get<double>(), 300.0);
  EXPECT_GT(with.at("mean_cop").get<double>(), 2.5);
  EXPECT_LT(with.at("mean_cop").get<double>(), 5.0);
  const nlohmann::json without = ac_home_run("off", "2023-01-10").at("house");
  EXPECT_LT(without.at("indoor_temp_c_min").get<double>(), 12.0);
  EXPECT_GT(without.at("comfort_violation_degree_hours").get<double>(), 1000.0);
}
