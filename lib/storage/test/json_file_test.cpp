// The durable JSON file: round trip, no file yet, a directory created, a torn or hostile file refused naming the
// file, the temporary not left behind, and a write into a directory that cannot be made refused.
#include <gtest/gtest.h>

#include <filesystem>

#include "hepek/storage/json_file.hpp"
#include "test_support.hpp"

namespace {

using hepek::storage::read_json_file;
using hepek::storage::write_json_file;
namespace t = hepek::testing;

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "";
}

TEST(JsonFile, RoundTripAndNoFileYet) {
  const t::TempDir dir;
  const std::string path = dir.file("plugins/relay/state.json");
  EXPECT_EQ(read_json_file(path, "relay state"), std::nullopt);
  write_json_file(path, {{"state", "off"}}, "relay state");
  EXPECT_EQ(read_json_file(path, "relay state"), (nlohmann::json{{"state", "off"}}));
  write_json_file(path, {{"state", "on"}}, "relay state");
  EXPECT_EQ(read_json_file(path, "relay state"), (nlohmann::json{{"state", "on"}}));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(JsonFile, RefusesWhatIsNotAnObjectNamingTheFile) {
  const t::TempDir dir;
  for (const std::string& text :
       std::vector<std::string>{"{\"state\":", "[1]", "{\"a\":1,\"a\":2}", std::string("{}\0x", 4)}) {
    const std::string path = dir.write("bad.json", text);
    const std::string error = error_of([&] { (void)read_json_file(path, "climate setting"); });
    EXPECT_NE(error.find("climate setting file " + path), std::string::npos) << error;
  }
  const std::string blocked = dir.write("file", "x");  // a file where the directory would go
  const std::string error = error_of([&] { write_json_file(blocked + "/sub/state.json", {}, "progress"); });
  EXPECT_NE(error.find("progress file"), std::string::npos) << error;
}

}  // namespace
