// The hepek command line as a user meets it: config check, plugins list, version, unknown commands.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "hepek/abi.h"
#include "test_support.hpp"

using namespace hepek::testing;

namespace {
// The ABI this hub speaks, as its messages write it ("1.1").
const std::string kAbi = std::to_string(HEPEK_ABI_MAJOR) + "." + std::to_string(HEPEK_ABI_MINOR);

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}
}  // namespace

TEST(Cli, VersionAndHelp) {
  auto version = run_command({hepek_binary(), "version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("plugin ABI " + kAbi), std::string::npos) << version.out;
  auto help = run_command({hepek_binary(), "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("simulate"), std::string::npos);
}

TEST(Cli, ConfigCheckAcceptsTheShippedConfigs) {
  auto result = run_command({hepek_binary(), "config", "check", source_dir() + "/config/hepek.toml"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

TEST(Cli, ConfigCheckNamesEveryProblem) {
  TempDir temp;
  const std::string path = write_config(temp.path(), 1883, R"(
[[plugin]]
id = "probe"
type = "probe"
lable = "typo"

[[plugin]]
id = "probe"
type = "hello-meter"

[[plugin]]
id = "ghost"
type = "no-such-plugin"
)",
                                        fixture_plugin_dir());
  auto result = run_command({hepek_binary(), "config", "check", path});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(path + ":17:1: duplicate plugin instance id \"probe\""), std::string::npos)
      << result.err;
  EXPECT_NE(
      result.err.find(
          path +
          ":14:1: unknown key \"lable\" in [[plugin]] \"probe\" (type probe); allowed keys: label, level"),
      std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(path + ":11:1: missing required key \"label\""), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("no plugin of type \"no-such-plugin\""), std::string::npos) << result.err;
}

TEST(Cli, PluginsListShowsVersionsAndRefusals) {
  TempDir temp;
  const std::string path = write_config(temp.path(), 1883, "", fixture_plugin_dir());
  auto result = run_command({hepek_binary(), "--config", path, "plugins", "list"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("hello-meter"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("hepek-no-entry.so: has no entry point hepek_plugin_entry()"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("hepek-abi-major.so: was built for ABI 2.0, but this hub speaks ABI " + kAbi +
                            " (another major)"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("hepek-abi-minor.so: was built for ABI 1.7, newer than this hub's ABI " + kAbi),
            std::string::npos)
      << result.out;
}

TEST(Cli, UnknownCommandListsPluginCommands) {
  auto result = run_command({hepek_binary(), "frobnicate"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("unknown command \"frobnicate\""), std::string::npos);
}

TEST(Cli, BusAccountsPrintsObserverAndAdmin) {
  TempDir temp;
  const std::string path = write_config(temp.path(), 1883, "");
  auto result =
      run_command({hepek_binary(), "--config", path, "--data-dir", temp.path() + "/data", "bus", "accounts"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["observer"]["username"], "observer");
  EXPECT_EQ(json["admin"]["username"], "admin");
  EXPECT_GE(json["admin"]["password"].get<std::string>().size(), 20u);
  EXPECT_GE(json["observer"]["password"].get<std::string>().size(), 20u);
  // The broker accepts only client ids under the account (core/src/client_id_rule.hpp): the prefix to use.
  EXPECT_EQ(json["observer"]["client_id_prefix"], "observer-");
  EXPECT_EQ(json["admin"]["client_id_prefix"], "admin-");
  // Stable: the same accounts next time.
  auto again =
      run_command({hepek_binary(), "--config", path, "--data-dir", temp.path() + "/data", "bus", "accounts"});
  EXPECT_EQ(nlohmann::json::parse(again.out), json);
}

// The issue's five errors, core and plugin tables mixed: `config check` reports all of them at once, each
// with file:line:column, in file order, and exits 1. (The plugin half needs the sim-battery and relay schemas
// to declare their minimum and enum through the SDK's ConfigRow constraints.)
TEST(Cli, ConfigCheckReportsEveryErrorOfTheFileAtOnce) {
  TempDir temp;
  const std::string path = temp.path() + "/five.toml";
  write_file(path, R"([hub]
timezone = "Mars/Olympus"
log_level = "verbose"

[bus]
broker = "embedded"
colour = "red"

[[plugin]]
id = "battery"
type = "sim-battery"
capacity_wh = -5

[[plugin]]
id = "relay"
type = "relay"
backend = "zigbee"
)");
  auto result = run_command({hepek_binary(), "config", "check", path});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const auto lines = lines_of(result.err);
  ASSERT_EQ(lines.size(), 5u) << result.err;
  EXPECT_EQ(lines[0].rfind(path + ":2:1: \"timezone\" in [hub] is not an IANA time zone name", 0), 0u)
      << lines[0];
  EXPECT_NE(lines[0].find("got \"Mars/Olympus\""), std::string::npos) << lines[0];
  EXPECT_EQ(lines[1], path +
                          ":3:1: \"log_level\" in [hub] must be one of \"debug\", \"info\", \"warning\", "
                          "\"error\", got \"verbose\"");
  EXPECT_EQ(lines[2].rfind(path + ":7:1: unknown key \"colour\" in [bus]; allowed keys: broker", 0), 0u)
      << lines[2];
  EXPECT_EQ(lines[3].rfind(
                path + ":12:1: \"capacity_wh\" in [[plugin]] \"battery\" (type sim-battery) must be ", 0),
            0u)
      << lines[3];
  EXPECT_NE(lines[3].find("got -5"), std::string::npos) << lines[3];
  EXPECT_EQ(
      lines[4].rfind(path + ":17:1: \"backend\" in [[plugin]] \"relay\" (type relay) must be one of ", 0), 0u)
      << lines[4];
  EXPECT_NE(lines[4].find("\"sim\""), std::string::npos) << lines[4];
  EXPECT_NE(lines[4].find("got \"zigbee\""), std::string::npos) << lines[4];
}

// What `run` would refuse at configuration time, `config check` refuses too: a NaN latitude and a
// keep-alive that would block start-up are clear errors, not exceptions or hangs.
TEST(Cli, ConfigCheckCatchesWhatRunWouldRefuse) {
  TempDir temp;
  const std::string path = temp.path() + "/bad.toml";
  write_file(path, "[hub]\nlatitude = nan\n\n[bus]\nkeepalive_s = -1\nbroker = \"mqtt://host:x\"\n");
  auto check = run_command({hepek_binary(), "config", "check", path});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.err.find(path + ":2:1: \"latitude\" in [hub] must be a finite number"), std::string::npos)
      << check.err;
  EXPECT_NE(check.err.find(path + ":5:1: \"keepalive_s\" in [bus] must be within 1..3600, got -1"),
            std::string::npos)
      << check.err;
  EXPECT_NE(check.err.find(path + ":6:1: \"broker\" in [bus] is not a broker address: at character 13"),
            std::string::npos)
      << check.err;
  auto run = run_command(
      {hepek_binary(), "--config", path, "--data-dir", temp.path() + "/data", "run", "--for", "5s"}, 30);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("\"latitude\" in [hub] must be a finite number"), std::string::npos) << run.err;
}

// `hepek run` fails (exit 1) when instances are configured but none of them could start.
TEST(Cli, RunExitsNonZeroWhenNoInstanceCouldStart) {
  TempDir temp;
  const std::string path = write_config(temp.path(), free_port(), R"(
[[plugin]]
id = "ghost"
type = "no-such-plugin"
)");
  auto result = run_command(
      {hepek_binary(), "--config", path, "--data-dir", temp.path() + "/data", "run", "--for", "30s"}, 60);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("none of the 1 configured plugin instances could start"), std::string::npos)
      << result.err;
}

namespace {
// A config using the typed-config fixtures (core/test/fixtures/constrained.cpp).
std::string constrained_config(const std::string& directory, const std::string& plugins) {
  const std::string path = directory + "/constrained.toml";
  write_file(path, std::string("[hub]\nplugin_dirs = [\"") + HEPEK_CORE_FIXTURE_DIR + "\"]\n\n" + plugins);
  return path;
}
}  // namespace

// The descriptor's constraint rows (walked with the plugin's own stride) reach `config check` from a real
// plugin library: enum, bounds, duration, role scoping; every error at once with its position.
TEST(Cli, PluginConstraintsAreEnforcedByConfigCheck) {
  TempDir temp;
  const std::string path = constrained_config(temp.path(), R"([[plugin]]
id = "one"
type = "constrained"
mode = "c"
level = 11
period = "2h"
b_only = "x"

[[plugin]]
id = "two"
type = "constrained"
mode = "b"
period = "fortnight"
)");
  auto result = run_command({hepek_binary(), "config", "check", path});
  EXPECT_EQ(result.exit_code, 1);
  const auto lines = lines_of(result.err);
  ASSERT_EQ(lines.size(), 6u) << result.err;
  const std::string one = "in [[plugin]] \"one\" (type constrained)";
  EXPECT_EQ(lines[0], path + ":7:1: \"mode\" " + one + " must be one of \"a\", \"b\", got \"c\"");
  EXPECT_EQ(lines[1], path + ":8:1: \"level\" " + one + " must be within 1..10, got 11");
  EXPECT_EQ(lines[2], path + ":9:1: \"period\" " + one + " must be at most 3600 s, got \"2h\"");
  // mode = "c" was refused, so its default "a" stands in: b_only does not belong.
  EXPECT_EQ(lines[3],
            path + ":10:1: \"b_only\" " + one + " applies only when mode = \"b\", but here mode = \"a\"");
  EXPECT_EQ(lines[4].rfind(path + ":12:1: missing required key \"b_only\" in [[plugin]] \"two\" (type "
                                  "constrained) when mode = \"b\"",
                           0),
            0u)
      << lines[4];
  EXPECT_EQ(lines[5].rfind(
                path + ":16:1: \"period\" in [[plugin]] \"two\" (type constrained) must be a duration", 0),
            0u)
      << lines[5];
}

// A plugin built for ABI minor 0 (no constraint fields; garbage after its descriptor) still loads and runs.
TEST(Cli, PluginOfAbiMinorZeroStillLoads) {
  TempDir temp;
  const std::string path =
      constrained_config(temp.path(), "[[plugin]]\nid = \"old\"\ntype = \"constrained-v10\"\n");
  auto list = run_command({hepek_binary(), "--config", path, "plugins", "list"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("org.hepek.fixture.constrained-v10"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("instance old"), std::string::npos) << list.out;
  auto run = run_command({hepek_binary(), "--config", path, "--data-dir", temp.path() + "/data", "simulate",
                          "--from", "2024-01-01", "--days", "1", "--json", "--no-progress"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto summary = nlohmann::json::parse(run.out);
  EXPECT_EQ(summary["constrained"]["period"], 900) << summary.dump();
  EXPECT_EQ(summary["constrained"]["mode"], "a");
}

// What the plugin receives: durations as integer seconds, paths resolved against the config file's
// directory (not the working directory: the hub runs from elsewhere), role-scoped keys where they belong.
TEST(Cli, PluginReceivesSecondsAndResolvedPaths) {
  TempDir temp;
  const std::string path = constrained_config(temp.path(), R"([[plugin]]
id = "one"
type = "constrained"
mode = "b"
b_only = "yes"
period = "1h"
file = "../testdata/prices.csv"
)");
  TempDir elsewhere;
  const std::string command = "cd '" + elsewhere.path() + "' && exec '" +
                              std::filesystem::absolute(hepek_binary()).string() + "' --config '" + path +
                              "' simulate --from 2024-01-01 --days 1 --json --no-progress";
  auto run = run_command({"/bin/sh", "-c", command});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto received = nlohmann::json::parse(run.out)["constrained"];
  EXPECT_EQ(received["period"], 3600) << received.dump();
  EXPECT_EQ(received["file"],
            (std::filesystem::path(temp.path()).parent_path() / "testdata" / "prices.csv").string());
  EXPECT_EQ(received["b_only"], "yes");
  EXPECT_EQ(received["level"], 5);
}
