#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "relay_state_store.hpp"
#include "test_support.hpp"

using hepek::relay::RelayStateStore;

namespace {
// An empty directory path below the test kit's directory for this run (removed when the program ends).
std::filesystem::path fresh_dir() {
  static const hepek::testing::TempDir root;
  const auto dir = std::filesystem::path(root.path()) / "relay";
  std::filesystem::remove_all(dir);
  return dir;
}
}  // namespace

TEST(RelayStateStore, RemembersAcrossInstances) {
  const auto dir = fresh_dir();
  const std::string path = (dir / "sub" / "relay-state.json").string();
  EXPECT_FALSE(RelayStateStore(path).load().has_value());
  RelayStateStore(path).save(false);
  EXPECT_EQ(RelayStateStore(path).load(), false);
  RelayStateStore(path).save(true);
  EXPECT_EQ(RelayStateStore(path).load(), true);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  std::filesystem::remove_all(dir);
}

TEST(RelayStateStore, MalformedFileIsAClearError) {
  const auto dir = fresh_dir();
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "relay-state.json").string();
  std::ofstream(path) << "{\"state\":\"maybe\"}";
  try {
    RelayStateStore(path).load();
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}
