// Issue 9 against the real hub binary and its real embedded Mosquitto: the exclusive data-directory lock (a
// second hub refuses and changes nothing; read-only CLI commands and `hepek simulate` work beside a running
// hub), every /set and bridge request answered, short quotes of huge bad values, 0600 database files.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "test_support.hpp"

using namespace hepek::testing;

namespace {

// The demo's simulated home and recorder; the sims publish once at start and then rarely, so nothing in the
// data directory changes while the second hub tries to start.
const std::string kQuietHome =
    simulated_home(3600) + "\n[[plugin]]\nid = \"recorder\"\ntype = \"recorder\"\n";

struct FileSnapshot {
  std::string content;
  std::filesystem::file_time_type mtime;
  bool operator==(const FileSnapshot&) const = default;
};

FileSnapshot snapshot(const std::string& path) {
  return {read_file(path), std::filesystem::last_write_time(path)};
}

CommandOptions short_timeout() {
  CommandOptions options;
  options.timeout_s = 60;
  return options;
}

unsigned mode_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return 0;
  return info.st_mode & 0777;
}

// Every file under `directory` whose name contains ".db" (the databases and their -wal/-shm/-journal).
std::vector<std::string> database_files(const std::string& directory) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(directory))
    if (entry.is_regular_file() && entry.path().filename().string().find(".db") != std::string::npos)
      files.push_back(entry.path().string());
  return files;
}

class HubHardeningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HEPEK_REQUIRE_HUB();
    HEPEK_REQUIRE_PLUGIN("recorder");
    HEPEK_REQUIRE_PLUGIN("sim-pv");
    HEPEK_REQUIRE_PLUGIN("sim-battery");
    HEPEK_REQUIRE_PLUGIN("relay");
    port_ = free_port();
    data_dir_ = temp_.path() + "/data";
    config_ = write_config(temp_.path(), port_, kQuietHome);
  }
  // The hub is up and has written its state: the bridge is online and recorder.db exists.
  std::unique_ptr<MqttClient> wait_until_up(HubProcess& hub, const std::string& client_id) {
    auto admin = connect_account(data_dir_, port_, "admin", client_id);
    if (!admin) return nullptr;
    admin->subscribe("hepek/bridge/state");
    if (!admin->wait_for(
            "hepek/bridge/state", [](const Received& m) { return m.payload == "online"; }, 10000))
      return nullptr;
    const std::string database = data_dir_ + "/plugins/recorder/recorder.db";
    for (int i = 0; i < 100 && !std::filesystem::exists(database); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_TRUE(std::filesystem::exists(database)) << hub.log();
    return admin;
  }

  TempDir temp_;
  int port_ = 0;
  std::string data_dir_;
  std::string config_;
};

TEST_F(HubHardeningTest, SecondHubOnTheSameDataDirectoryRefusesNamingThePidAndChangesNothing) {
  HubProcess first(config_, data_dir_);
  auto admin = wait_until_up(first, "admin-lock");
  ASSERT_TRUE(admin) << first.log();
  std::this_thread::sleep_for(std::chrono::seconds(2));  // the first states recorded and flushed
  const std::string broker_conf = data_dir_ + "/broker/mosquitto.conf";
  const std::string database = data_dir_ + "/plugins/recorder/recorder.db";
  const auto conf_before = snapshot(broker_conf);
  const auto db_before = snapshot(database);
  const auto accounts_before = snapshot(data_dir_ + "/broker/accounts.json");

  const int second_port = free_port();
  TempDir second_dir;
  const std::string second_config = write_config(second_dir.path(), second_port, kQuietHome);
  const auto second =
      run_hepek({"--config", second_config, "--data-dir", data_dir_, "run", "--for", "5s"}, short_timeout());
  EXPECT_NE(second.exit_code, 0) << second.out << second.err;
  const std::string said = second.out + second.err;
  EXPECT_NE(said.find("data directory"), std::string::npos) << said;
  EXPECT_NE(said.find("in use"), std::string::npos) << said;
  EXPECT_NE(said.find("pid " + std::to_string(first.pid())), std::string::npos) << said;

  EXPECT_EQ(snapshot(broker_conf), conf_before) << "the second hub rewrote mosquitto.conf";
  EXPECT_EQ(snapshot(database), db_before) << "the second hub wrote into recorder.db";
  EXPECT_EQ(snapshot(data_dir_ + "/broker/accounts.json"), accounts_before);
  EXPECT_EQ(read_file(data_dir_ + "/hepek.lock"), std::to_string(first.pid()) + "\n");

  // A read-only CLI command works beside the running hub.
  const auto accounts = run_hepek({"--config", config_, "--data-dir", data_dir_, "bus", "accounts"});
  ASSERT_EQ(accounts.exit_code, 0) << accounts.err;
  const auto parsed = nlohmann::json::parse(accounts.out);
  EXPECT_TRUE(parsed["observer"]["username"].is_string()) << accounts.out;
  EXPECT_TRUE(parsed["admin"]["password"].is_string()) << accounts.out;

  // The first hub still runs and serves on its own port.
  EXPECT_TRUE(first.running()) << first.log();
  admin->subscribe("hepek/bridge/response/#");
  auto health = admin->request("hepek/bridge/request/health", "{}", "hepek/bridge/response/health");
  ASSERT_TRUE(health) << first.log();
  EXPECT_EQ(nlohmann::json::parse(health->payload)["ok"], true);
}

TEST_F(HubHardeningTest, EverySetIsAnsweredReadOnlyDevicesIncludedAndUnknownBridgeRequestsGetAnError) {
  HubProcess hub(config_, data_dir_);
  auto admin = wait_until_up(hub, "admin-answers");
  ASSERT_TRUE(admin) << hub.log();
  admin->subscribe("hepek/load/set/result");
  admin->subscribe("hepek/bridge/response/#");
  admin->subscribe("hepek/load/config");
  ASSERT_TRUE(admin->wait_for("hepek/load/config")) << hub.log();
  admin->clear();
  constexpr int kCommands = 50;
  for (int i = 0; i < kCommands; ++i)
    admin->publish("hepek/load/set", "{\"power\":" + std::to_string(i) + "}");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::vector<Received> results;
  while (std::chrono::steady_clock::now() < deadline) {
    results.clear();
    for (const auto& message : admin->messages())
      if (message.topic == "hepek/load/set/result") results.push_back(message);
    if (results.size() >= kCommands) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(results.size(), static_cast<std::size_t>(kCommands)) << hub.log();
  for (const auto& result : results) {
    const auto json = nlohmann::json::parse(result.payload);
    EXPECT_EQ(json["ok"], false) << result.payload;
    EXPECT_NE(json["error"].get<std::string>().find("read-only"), std::string::npos) << result.payload;
  }

  auto unknown = admin->request("hepek/bridge/request/self-destruct", "{\"transaction\":\"x\"}",
                                "hepek/bridge/response/self-destruct");
  ASSERT_TRUE(unknown) << hub.log();
  const auto json = nlohmann::json::parse(unknown->payload);
  EXPECT_EQ(json["ok"], false);
  EXPECT_NE(json["error"].get<std::string>().find("unknown bridge request"), std::string::npos);
  EXPECT_EQ(json["transaction"], "x");
  EXPECT_TRUE(hub.running());
}

TEST_F(HubHardeningTest, AHugeRejectedCommandGetsAShortReplyAndAShortLogLine) {
  HubProcess hub(config_, data_dir_);
  auto admin = wait_until_up(hub, "admin-huge");
  ASSERT_TRUE(admin) << hub.log();
  admin->subscribe("hepek/battery/set/result");
  admin->subscribe("hepek/battery/config");
  ASSERT_TRUE(admin->wait_for("hepek/battery/config")) << hub.log();
  const std::string huge(1000 * 1000, 'x');
  const std::vector<std::string> commands{
      "{\"setpoint_w\":\"" + huge + "\"}",  // a wrong type: the value is quoted
      "{\"" + huge + "\":1}",               // an unknown field: the key is quoted
  };
  for (const auto& command : commands) {
    auto result = admin->request("hepek/battery/set", command, "hepek/battery/set/result", 10000);
    ASSERT_TRUE(result) << hub.log().substr(0, 2000);
    EXPECT_LT(result->payload.size(), 2000u) << result->payload.substr(0, 300);
    const auto json = nlohmann::json::parse(result->payload);
    EXPECT_EQ(json["ok"], false);
    EXPECT_NE(json["error"].get<std::string>().find("(1000"), std::string::npos) << result->payload;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_LT(hub.log().size(), 200u * 1000u) << "a rejected command was logged in full";
  EXPECT_TRUE(hub.running());
}

TEST_F(HubHardeningTest, EveryDatabaseFileOfAHubRunAndASimulationIs0600) {
  {
    HubProcess hub(config_, data_dir_);
    auto admin = wait_until_up(hub, "admin-modes");
    ASSERT_TRUE(admin) << hub.log();
    // A simulation beside the running hub: it uses (and locks) its own <data dir>/simulation.
    const auto simulated = run_hepek({"--config", config_, "--data-dir", data_dir_, "simulate", "--from",
                                      "2024-06-01", "--days", "1", "--json"},
                                     short_timeout());
    EXPECT_EQ(simulated.exit_code, 0) << simulated.err;
    std::this_thread::sleep_for(std::chrono::seconds(1));
    for (const auto& file : database_files(data_dir_)) EXPECT_EQ(mode_of(file), 0600u) << file;
    hub.terminate();
  }
  const auto files = database_files(data_dir_);
  EXPECT_NE(std::find(files.begin(), files.end(), data_dir_ + "/plugins/recorder/recorder.db"), files.end());
  EXPECT_NE(std::find(files.begin(), files.end(), data_dir_ + "/simulation/plugins/recorder/recorder.db"),
            files.end());
  for (const auto& file : files) EXPECT_EQ(mode_of(file), 0600u) << file;
  EXPECT_EQ(mode_of(data_dir_ + "/hepek.lock"), 0600u);
}

TEST_F(HubHardeningTest, SimulateLocksItsOwnDataDirectoryAndAStaleLockFileDoesNotBlock) {
  // Another process (this test) holds the simulation directory's lock: simulate refuses and clears nothing.
  const std::string directory = data_dir_ + "/simulation";
  std::filesystem::create_directories(directory);
  write_file(directory + "/keep.txt", "mine");
  const int fd = ::open((directory + "/hepek.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  ASSERT_EQ(::pwrite(fd, "424242\n", 7, 0), 7);
  const std::vector<std::string> args{"--config", config_,      "--data-dir", data_dir_, "simulate",
                                      "--from",   "2024-06-01", "--days",     "1",       "--json"};
  const auto refused = run_hepek(args, short_timeout());
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("data directory"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("in use"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("pid 424242"), std::string::npos) << refused.err;
  EXPECT_EQ(read_file(directory + "/keep.txt"), "mine") << "simulate cleared a directory in use";
  // Released: the file with the old pid stays behind, and does not block the next run.
  ::close(fd);
  const auto simulated = run_hepek(args, short_timeout());
  EXPECT_EQ(simulated.exit_code, 0) << simulated.err;
  EXPECT_FALSE(std::filesystem::exists(directory + "/keep.txt"))
      << "a simulation starts from a clean directory";
}

}  // namespace

// A running hub keeps only the plugin libraries its instances use: the others (ergon, sunspec, gps, ...) were
// opened to read their descriptors and are unloaded before the instances start, with what only they link.
TEST_F(HubHardeningTest, ARunningHubUnloadsThePluginLibrariesNoInstanceUses) {
  HEPEK_REQUIRE_PLUGIN("ergon");
  HubProcess hub(config_, data_dir_);
  ASSERT_TRUE(wait_until_up(hub, "admin-unload")) << hub.log();
  const std::string maps = read_file("/proc/" + std::to_string(hub.pid()) + "/maps");
  for (const char* used : {"hepek-recorder.so", "hepek-sim-pv.so", "hepek-relay.so"})
    EXPECT_NE(maps.find(used), std::string::npos) << used << " is not mapped";
  EXPECT_EQ(maps.find("hepek-ergon.so"), std::string::npos) << "an unused plugin stays loaded";
  EXPECT_EQ(maps.find("hepek-planner.so"), std::string::npos) << "an unused plugin stays loaded";
}
