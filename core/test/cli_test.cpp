// The hepek command line as a user meets it: config check, plugins list, version, unknown commands.
#include <gtest/gtest.h>

#include "test_support.hpp"

using namespace hepek::testing;

TEST(Cli, VersionAndHelp) {
  auto version = run_command({hepek_binary(), "version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("plugin ABI 1.0"), std::string::npos);
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
  EXPECT_NE(result.out.find(
                "hepek-abi-major.so: was built for ABI 2.0, but this hub speaks ABI 1.0 (another major)"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("hepek-abi-minor.so: was built for ABI 1.7, newer than this hub's ABI 1.0"),
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
  // Stable: the same accounts next time.
  auto again =
      run_command({hepek_binary(), "--config", path, "--data-dir", temp.path() + "/data", "bus", "accounts"});
  EXPECT_EQ(nlohmann::json::parse(again.out), json);
}
