// Every shipped example config (config/examples/*.toml, plugins/*/*.toml.example) runs as a user would run
// it: `hepek simulate --config <absolute path>` from an empty directory, so its data paths must resolve
// against the config file, never against the working directory.
#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.hpp"

using namespace hepek::testing;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> shipped_example_configs() {
  std::vector<std::string> files;
  const fs::path root = fs::absolute(source_dir());
  for (const auto& entry : fs::directory_iterator(root / "config" / "examples"))
    if (entry.path().extension() == ".toml") files.push_back(entry.path().string());
  for (const auto& plugin : fs::directory_iterator(root / "plugins")) {
    if (!plugin.is_directory()) continue;
    for (const auto& entry : fs::directory_iterator(plugin.path()))
      if (entry.path().string().ends_with(".toml.example")) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string quoted(const std::string& text) {
  return "'" + text + "'";
}

}  // namespace

TEST(ExampleConfigs, EverySimulatesFromAnEmptyDirectory) {
  const auto files = shipped_example_configs();
  ASSERT_GE(files.size(), 7u) << "config/examples and the plugin folders ship at least seven examples";
  const std::string hepek = fs::absolute(hepek_binary()).string();
  for (const auto& file : files) {
    TempDir empty;
    // The household and price data cover Jul-Nov 2023: one day inside it suits every example.
    const std::string command = "cd " + quoted(empty.path()) + " && exec " + quoted(hepek) + " --config " +
                                quoted(file) + " simulate --from 2023-08-01 --days 1 --json --no-progress";
    auto result = run_command({"/bin/sh", "-c", command}, 300);
    EXPECT_EQ(result.exit_code, 0) << file << "\n" << result.err;
    if (result.exit_code != 0) continue;
    const auto summary = nlohmann::json::parse(result.out, nullptr, false);
    ASSERT_TRUE(summary.is_object()) << file << "\n" << result.out;
    EXPECT_EQ(summary.value("days", 0), 1) << file;
    EXPECT_GT(summary.value("steps", 0), 0) << file;
    // data_dir stays relative to the working directory: the run's state is in the empty directory.
    EXPECT_TRUE(fs::exists(fs::path(empty.path()) / "data")) << file;
  }
}
