#include "history_export.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "csv_export.hpp"
#include "recorder_store.hpp"
#include "test_support.hpp"

namespace hepek::recorder {
namespace {

using testing::TempDir;

constexpr int64_t kStart = 1'704'067'200'000;  // 2024-01-01T00:00:00Z

// A hub data dir with a recorder instance "recorder" that recorded a little.
void record_sample_history(const TempDir& dir, const std::string& instance = "recorder",
                           const std::string& below = "") {
  const auto instance_dir = std::filesystem::path(dir.path()) / below / "plugins" / instance;
  std::filesystem::create_directories(instance_dir);
  RecorderStore store((instance_dir / "recorder.db").string());
  auto meter = parse_device_metadata("meter", R"({"schema":1,"entities":[
      {"field":"power","unit":"W","state_class":"measurement"},
      {"field":"energy","unit":"Wh","state_class":"total_increasing"}]})");
  store.upsert_device(meter.value(), kStart);
  store.add({"meter", "power", kStart, 100});
  store.add({"meter", "energy", kStart, 5000.5});
  store.add({"meter", "power", kStart + 600'000, 300});
  store.add({"meter", "energy", kStart + 1'200'000, 5001.25});
  store.add({"meter", "power", kStart + 1'800'000, 0.1});
}

struct Run {
  int code;
  std::string out;
  std::string errors;
};

Run run(const TempDir& dir, std::vector<std::string> args) {
  std::ostringstream out, errors;
  const int code = run_history_export({dir.path(), {}, {}}, args, out, errors);
  return {code, out.str(), errors.str()};
}

TEST(HistoryExport, WritesRawCsvWithAColumnPerField) {
  TempDir dir;
  record_sample_history(dir);
  const auto result = run(dir, {"--device", "meter", "--from", "2024-01-01", "--to", "2024-01-02"});
  ASSERT_EQ(result.code, 0) << result.errors;
  EXPECT_EQ(result.out,
            "time,power,energy\n"
            "2024-01-01T00:00:00Z,100,5000.5\n"
            "2024-01-01T00:10:00Z,300,\n"
            "2024-01-01T00:20:00Z,,5001.25\n"
            "2024-01-01T00:30:00Z,0.1,\n");
}

TEST(HistoryExport, QuarterHoursToAFileWithChosenFields) {
  TempDir dir;
  record_sample_history(dir);
  const std::string output = dir.file("out.csv");
  const auto result =
      run(dir, {"--device=meter", "--from=2024-01-01T00:00:00Z", "--to", "2024-01-01T02:00:00+01:00",
                "--fields", "energy,power", "--resolution", "15m", "--output", output});
  ASSERT_EQ(result.code, 0) << result.errors;
  EXPECT_TRUE(result.out.empty());
  std::ifstream file(output);
  const std::string csv((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  // energy is a counter (last value per bucket), power a measurement (mean).
  EXPECT_EQ(csv,
            "time,energy,power\n"
            "2024-01-01T00:00:00Z,5000.5,200\n"
            "2024-01-01T00:15:00Z,5001.25,\n"
            "2024-01-01T00:30:00Z,,0.1\n");
}

TEST(HistoryExport, FindsAnotherInstanceAndAnExplicitDatabase) {
  TempDir dir;
  record_sample_history(dir, "history");
  auto result = run(dir, {"--device", "meter", "--from", "2024-01-01", "--to", "2024-01-02", "--instance",
                          "history", "--fields", "power", "--resolution", "1h", "--stat", "max"});
  ASSERT_EQ(result.code, 0) << result.errors;
  EXPECT_EQ(result.out, "time,power\n2024-01-01T00:00:00Z,300\n");
  std::ostringstream out, errors;
  const std::string database =
      (std::filesystem::path(dir.path()) / "plugins" / "history" / "recorder.db").string();
  EXPECT_EQ(run_history_export({},
                               {"--device", "meter", "--from", "2024-01-01", "--to", "2024-01-02",
                                "--database", database, "--fields", "energy", "--resolution", "1d"},
                               out, errors),
            0)
      << errors.str();
  EXPECT_EQ(out.str(), "time,energy\n2024-01-01T00:00:00Z,5001.25\n");
}

TEST(HistoryExport, SimulationFlagReadsTheSimulationDatabase) {
  TempDir dir;
  record_sample_history(dir, "recorder", "simulation");
  auto result = run(dir, {"--device", "meter", "--from", "2024-01-01", "--to", "2024-01-02", "--fields",
                          "power", "--resolution", "1h", "--simulation"});
  ASSERT_EQ(result.code, 0) << result.errors;
  EXPECT_EQ(result.out, "time,power\n2024-01-01T00:00:00Z,133.36666666666667\n");
  result = run(dir, {"--device", "meter", "--from", "2024-01-01", "--to", "2024-01-02", "--simulation=yes"});
  EXPECT_EQ(result.code, 1);
  EXPECT_NE(result.errors.find("option '--simulation' takes no value"), std::string::npos) << result.errors;
}

TEST(HistoryExport, BadArgumentsAreExplainedAndExitOne) {
  TempDir dir;
  record_sample_history(dir);
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--from", "2024-01-01", "--to", "2024-01-02"}, "missing --device"},
      {{"--device", "meter", "--from", "monday", "--to", "2024-01-02"},
       "--from 'monday' is not an ISO 8601 time or date"},
      {{"--device", "meter", "--from", "2024-01-02", "--to", "2024-01-01"}, "--from must be before --to"},
      {{"--device", "meter", "--from", "2024-01-01", "--to", "2024-01-02", "--resolution", "5m"},
       "--resolution '5m' is not one of raw, 15m, 1h, 1d"},
      {{"--device", "meter", "--from", "2024-01-01", "--to", "2024-01-02", "--colour", "red"},
       "unknown option '--colour'"},
      {{"--device", "meter", "--from", "2024-01-01", "--to"}, "option '--to' needs a value"},
      {{"meter"}, "unexpected argument 'meter'"},
      {{"--device", "meter", "--from", "2024-01-01", "--to", "2024-01-02", "--fields", "volts"},
       "device 'meter' has no recorded field 'volts' (recorded: power, energy)"},
      {{"--device", "meter", "--from", "2024-01-01", "--to", "2024-01-02", "--instance", "nobody"},
       "no recorder database at " +
           (std::filesystem::path(dir.path()) / "plugins" / "nobody" / "recorder.db").string()},
  };
  for (const auto& [args, expected] : cases) {
    const auto result = run(dir, args);
    EXPECT_EQ(result.code, 1) << expected;
    EXPECT_NE(result.errors.find(expected), std::string::npos) << result.errors;
    EXPECT_TRUE(result.out.empty());
  }
}

TEST(HistoryExport, DatabasePathLayout) {
  EXPECT_EQ(recorder_database_path("/var/hepek", "recorder", ""), "/var/hepek/plugins/recorder/recorder.db");
  EXPECT_EQ(recorder_database_path("/var/hepek", "r2", "history.db"), "/var/hepek/plugins/r2/history.db");
  EXPECT_EQ(recorder_database_path("/var/hepek", "r2", "/srv/h.db"), "/srv/h.db");
}

TEST(CsvExport, QuotesOddFieldNamesAndKeepsDuplicateTimes) {
  SeriesSet result{"dev",
                   Resolution::raw,
                   {{"a,b", "", Statistic::automatic, {{0, 1}, {0, 2}, {1000, 3}}},
                    {"say \"hi\"", "", Statistic::automatic, {{0, -0.5}}}},
                   std::nullopt};
  std::ostringstream out;
  write_csv(out, result);
  EXPECT_EQ(out.str(),
            "time,\"a,b\",\"say \"\"hi\"\"\"\n"
            "1970-01-01T00:00:00Z,1,-0.5\n"
            "1970-01-01T00:00:00Z,2,\n"
            "1970-01-01T00:00:01Z,3,\n");
}

}  // namespace
}  // namespace hepek::recorder
