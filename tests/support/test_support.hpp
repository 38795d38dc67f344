// Test support for integration tests: temporary directories, free ports, a hub child process, and an MQTT
// client that records every message it receives. Real processes only: a real Mosquitto, the real hub binary.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

struct mosquitto;
struct mosquitto_message;

namespace hepek::testing {

std::string binary_dir();  // $HEPEK_BINARY_DIR
std::string hepek_binary();
std::string fixture_plugin_dir();
std::string shared_dir();  // ../shared
std::string source_dir();

class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

int free_port();
std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& content);

struct CommandResult {
  int exit_code;
  std::string out;
  std::string err;
};
// Runs a command line (argv) to completion, capturing stdout and stderr.
CommandResult run_command(const std::vector<std::string>& argv, int timeout_s = 120);

// `hepek run` as a child process with a config file and data dir.
class HubProcess {
 public:
  HubProcess(const std::string& config_path, const std::string& data_dir,
             std::vector<std::string> extra = {});
  ~HubProcess();
  pid_t pid() const { return pid_; }
  void terminate();          // SIGTERM, wait
  int wait(int timeout_ms);  // exit code, or -1 on timeout
  std::string log() const;   // stderr+stdout so far

 private:
  pid_t pid_ = -1;
  std::string log_path_;
  bool reaped_ = false;
  int status_ = 0;
};

struct Received {
  std::string topic;
  std::string payload;
  bool retained;
};

class MqttClient {
 public:
  MqttClient(int port, const std::string& username, const std::string& password,
             const std::string& client_id);
  ~MqttClient();
  bool connected() const;
  int connect_result() const { return connect_result_; }  // CONNACK code, -1 while unknown
  void subscribe(const std::string& filter, int qos = 1);
  int publish(const std::string& topic, const std::string& payload, int qos = 1, bool retain = false);
  // Waits for a message on `topic` matching `predicate`; returns it, or nullopt on timeout.
  std::optional<Received> wait_for(const std::string& topic,
                                   std::function<bool(const Received&)> predicate = {},
                                   int timeout_ms = 5000);
  std::vector<Received> messages() const;
  void clear();

 private:
  static void on_connect(mosquitto*, void*, int);
  static void on_message(mosquitto*, void*, const mosquitto_message*);
  mosquitto* client_ = nullptr;
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<Received> messages_;
  int connect_result_ = -1;
};

// Credentials from the hub's data dir (broker/accounts.json).
nlohmann::json accounts(const std::string& data_dir);

// A client logged in with one of the hub's generated accounts ("observer", "admin", "plugin-<id>") once the
// hub has written them and its broker accepts; nullptr after the timeout.
std::unique_ptr<MqttClient> connect_account(const std::string& data_dir, int port, const std::string& account,
                                            const std::string& client_id, int timeout_ms = 10000);

// Writes a config file with the given body and a [bus] on `port`; returns its path.
std::string write_config(const std::string& directory, int port, const std::string& body,
                         const std::string& extra_plugin_dir = {});

}  // namespace hepek::testing
