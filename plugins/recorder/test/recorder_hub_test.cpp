// The recorder inside the real hub: `hepek run` with the embedded Mosquitto, the SDK's hello-meter as the
// device and the recorder; a history query over the bus (admin account, libmosquitto) while it runs, and
// `hepek history export` after it stopped.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <mosquitto.h>
#include <nlohmann/json.hpp>

#include <hepek/timeseries/iso8601.hpp>
#include "temp_dir.hpp"

extern char** environ;

namespace hepek::recorder {
namespace {

using testing::TempDir;
using namespace std::chrono_literals;

std::string hepek_binary() {
  const char* build = std::getenv("HEPEK_BINARY_DIR");
  return std::string(build ? build : "build") + "/bin/hepek";
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string run_and_capture(const std::string& command, int* status) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return output;
  char buffer[4096];
  while (const size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  *status = ::pclose(pipe);
  return output;
}

struct Reply {
  std::string payload;
  bool received = false;
};

// Publishes `request` on hepek/recorder/request/<id> and waits for the response.
std::optional<nlohmann::json> ask_over_bus(int port, const std::string& user, const std::string& password,
                                           const std::string& id, const nlohmann::json& request) {
  Reply reply;
  mosquitto* client = mosquitto_new(nullptr, true, &reply);
  mosquitto_username_pw_set(client, user.c_str(), password.c_str());
  mosquitto_message_callback_set(client, [](mosquitto*, void* user_data, const mosquitto_message* message) {
    auto& target = *static_cast<Reply*>(user_data);
    target.payload.assign(static_cast<const char*>(message->payload), message->payloadlen);
    target.received = true;
  });
  std::optional<nlohmann::json> result;
  bool connected = false;
  for (const auto deadline = std::chrono::steady_clock::now() + 15s;
       !connected && std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(200ms))
    connected = mosquitto_connect(client, "127.0.0.1", port, 10) == MOSQ_ERR_SUCCESS;
  if (connected) {
    const std::string response = "hepek/recorder/response/" + id;
    mosquitto_subscribe(client, nullptr, response.c_str(), 1);
    for (int i = 0; i < 10; ++i) mosquitto_loop(client, 20, 1);  // let the SUBACK arrive first
    const std::string payload = request.dump();
    const std::string topic = "hepek/recorder/request/" + id;
    mosquitto_publish(client, nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(), 1,
                      false);
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!reply.received && std::chrono::steady_clock::now() < deadline) mosquitto_loop(client, 50, 1);
    if (reply.received) result = nlohmann::json::parse(reply.payload, nullptr, false);
    mosquitto_disconnect(client);
  }
  mosquitto_destroy(client);
  return result;
}

TEST(RecorderInHub, RecordsAHubDeviceAndAnswersOnTheBusAndTheCli) {
  TempDir dir;
  const int port = free_port();
  const std::string config = dir.file("hub.toml");
  std::ofstream(config)
      << "[hub]\ndata_dir = \"" << dir.file("data") << "\"\n"
      << "[bus]\nbroker = \"embedded\"\nport = " << port << "\n"
      << "[[plugin]]\nid = \"hello\"\ntype = \"hello-meter\"\ninterval_ms = 100\npower_w = 420.0\n"
      << "[[plugin]]\nid = \"recorder\"\ntype = \"recorder\"\nflush_ms = 200\n";
  const std::string binary = hepek_binary();
  const int64_t started_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();

  std::vector<std::string> args{binary, "--config", config,
                                "run",  "--for",    "60s"};  // stopped by SIGTERM below
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const std::string log = dir.file("hub.log");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t hub = 0;
  ASSERT_EQ(posix_spawn(&hub, binary.c_str(), &actions, nullptr, argv.data(), environ), 0) << binary;
  posix_spawn_file_actions_destroy(&actions);

  std::this_thread::sleep_for(2s);  // broker up, a few readings recorded
  int status = 0;
  std::string accounts_text;
  nlohmann::json accounts;
  for (int attempt = 0; attempt < 50 && !accounts.contains("admin");
       ++attempt, std::this_thread::sleep_for(200ms)) {
    accounts_text = run_and_capture(binary + " --config " + config + " bus accounts 2>&1", &status);
    accounts = nlohmann::json::parse(accounts_text, nullptr, false);
    if (!accounts.is_object()) accounts = nlohmann::json::object();
  }
  std::optional<nlohmann::json> response;
  if (accounts.is_object() && accounts.contains("admin")) {
    response = ask_over_bus(port, accounts["admin"]["username"], accounts["admin"]["password"], "t1",
                            {{"device", "hello"},
                             {"fields", {"power"}},
                             {"from", hepek::timeseries::format_iso8601_ms(started_ms - 60'000)},
                             {"to", hepek::timeseries::format_iso8601_ms(started_ms + 600'000)}});
  }
  std::this_thread::sleep_for(500ms);  // a few more readings that only the final flush writes
  ::kill(hub, SIGTERM);
  int hub_status = 0;
  ::waitpid(hub, &hub_status, 0);
  std::ifstream log_file(log);
  const std::string hub_log((std::istreambuf_iterator<char>(log_file)), std::istreambuf_iterator<char>());
  ASSERT_TRUE(WIFEXITED(hub_status) && WEXITSTATUS(hub_status) == 0) << hub_log;
  ASSERT_TRUE(accounts.contains("admin")) << accounts_text;

  ASSERT_TRUE(response.has_value()) << "no response on the bus\n" << hub_log;
  ASSERT_EQ((*response)["ok"], true) << response->dump();
  const auto& points = (*response)["series"]["power"];
  EXPECT_GE(points.size(), 10u) << response->dump();
  for (const auto& point : points) EXPECT_EQ(point[1], 420.0);

  const std::string csv_file = dir.file("power.csv");
  const std::string export_command = binary + " --config " + config +
                                     " history export --device hello --from " +
                                     hepek::timeseries::format_iso8601_ms(started_ms - 60'000) + " --to " +
                                     hepek::timeseries::format_iso8601_ms(started_ms + 600'000) +
                                     " --fields power,energy_import" + " --output " + csv_file + " 2>&1";
  const std::string export_output = run_and_capture(export_command, &status);
  ASSERT_EQ(status, 0) << export_output;
  std::ifstream csv(csv_file);
  std::string line;
  ASSERT_TRUE(std::getline(csv, line));
  EXPECT_EQ(line, "time,power,energy_import");
  std::size_t rows = 0;
  while (std::getline(csv, line)) {
    ++rows;
    EXPECT_EQ(line.substr(line.find(',') + 1, 4), "420,") << line;
  }
  EXPECT_GT(rows, points.size());  // the later readings too, flushed at stop
}

}  // namespace
}  // namespace hepek::recorder
