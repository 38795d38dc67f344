// The in-tree test kit: the ONLY place tests start a hub, a broker, anvil or a recording MQTT client, and the
// one home of the helpers every test needs (where the build and the test data are, temporary directories,
// free ports, running a command). Real processes only: the real hub binary, a real Mosquitto, a real anvil.
//
// Missing peers fail, they do not skip: HEPEK_REQUIRE_HUB() / HEPEK_REQUIRE_ANVIL() /
// HEPEK_REQUIRE_PLUGIN("recorder") fail the test when the hub binary, node_modules/.bin/anvil or a plugin
// library is not there, so a broken install cannot pass CI. For local work on a machine without them, set
// HEPEK_TEST_ALLOW_MISSING=1 and they skip instead. The process classes throw std::runtime_error naming what
// is missing when started without the peer, which GoogleTest reports as a failure.
//
// Thread-safety: MqttClient may be used from any thread (its messages arrive on libmosquitto's thread); the
// other classes belong to the thread that made them. Every process is stopped in its destructor.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

struct mosquitto;
struct mosquitto_message;

namespace hepek::testing {

// --- Where things are --------------------------------------------------------------------------------------
std::string binary_dir();          // $HEPEK_BINARY_DIR (every test's environment, cmake/HepekTesting.cmake)
std::string source_dir();          // $HEPEK_SOURCE_DIR
std::string hepek_binary();        // <binary dir>/bin/hepek
std::string plugin_dir();          // <binary dir>/lib/hepek/plugins
std::string fixture_plugin_dir();  // <binary dir>/tests/fixtures/plugins (deliberately broken plugins)
std::string anvil_binary();        // <source dir>/node_modules/.bin/anvil (npm ci)
std::string testdata_dir();        // <source dir>/testdata (see testdata/README.md)
// A file under testdata/, e.g. testdata("dsmr/ndokter_telegram_v5.txt"); throws when it does not exist.
std::string testdata(const std::string& relative);

// --- Required peers ----------------------------------------------------------------------------------------
// What is missing ("<path> is not built ..."), or nullopt when it is there.
std::optional<std::string> missing_hub();
std::optional<std::string> missing_anvil();
std::optional<std::string> missing_plugin(const std::string& type);  // hepek-<type>.so in plugin_dir()
// True when HEPEK_TEST_ALLOW_MISSING=1: a missing peer skips instead of failing (local work only).
bool allow_missing();

// Fails (or, with HEPEK_TEST_ALLOW_MISSING=1, skips) the current test when `missing` names something. Use at
// the top of a TEST body or SetUp(); it returns from the function.
#define HEPEK_REQUIRE(missing)                                                                        \
  do {                                                                                                \
    if (const std::optional<std::string> hepek_missing_ = (missing)) {                                \
      if (::hepek::testing::allow_missing()) GTEST_SKIP() << *hepek_missing_;                         \
      FAIL() << *hepek_missing_ << " (set HEPEK_TEST_ALLOW_MISSING=1 to skip instead, locally only)"; \
    }                                                                                                 \
  } while (false)
#define HEPEK_REQUIRE_HUB() HEPEK_REQUIRE(::hepek::testing::missing_hub())
#define HEPEK_REQUIRE_ANVIL() HEPEK_REQUIRE(::hepek::testing::missing_anvil())
#define HEPEK_REQUIRE_PLUGIN(type) HEPEK_REQUIRE(::hepek::testing::missing_plugin(type))

// --- Files -------------------------------------------------------------------------------------------------
// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  // Writes `content` (bytes as given) to file(name) and returns that path.
  std::string write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

// One temporary file with the given content, removed on destruction.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content) : path_(dir_.write(name, content)) {}
  const std::string& path() const { return path_; }

 private:
  TempDir dir_;
  std::string path_;
};

std::string read_file(const std::string& path);  // throws when it cannot be opened
void write_file(const std::string& path, const std::string& content);

// A loopback TCP port nobody listens on now.
int free_port();

// --- Commands ----------------------------------------------------------------------------------------------
struct CommandResult {
  int exit_code;  // the exit status; 128 + signal when killed; -1 on timeout; 127 when it could not start
  std::string out;
  std::string err;
};
struct CommandOptions {
  int timeout_s = 120;
  std::vector<std::pair<std::string, std::string>> environment;  // set in the child, on top of ours
  std::string working_directory;                                 // empty: ours
};
// Runs argv (argv[0] looked up on PATH) to completion, capturing stdout and stderr.
CommandResult run_command(const std::vector<std::string>& argv, int timeout_s = 120);
CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options);
// `hepek <args...>` (the built hub binary).
CommandResult run_hepek(const std::vector<std::string>& args, const CommandOptions& options = {});

// --- Processes ---------------------------------------------------------------------------------------------
// A child process with stdout and stderr in a log file; on destruction SIGTERM, then SIGKILL after 10 s.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::string& log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  pid_t pid() const { return pid_; }
  void terminate(int timeout_ms = 15000);  // SIGTERM, wait (SIGKILL after the timeout)
  int wait(int timeout_ms);                // exit code (128 + signal when killed), or -1 on timeout
  bool running();
  std::string log() const;  // stdout + stderr so far

 private:
  pid_t pid_ = -1;
  std::string log_path_;
  bool reaped_ = false;
  int status_ = 0;
};

// `hepek --config <config> --data-dir <data dir> run <extra...>`; log in <data dir>.log.
class HubProcess : public ChildProcess {
 public:
  HubProcess(const std::string& config_path, const std::string& data_dir,
             std::vector<std::string> extra = {});
};

// A plain Mosquitto (not the hub's) on `port` of 127.0.0.1 with `extra_config` lines appended to its config
// (e.g. "allow_anonymous true\n"); returns once the port accepts connections. Runs as our own user.
class BrokerProcess {
 public:
  BrokerProcess(int port, const std::string& extra_config);
  int port() const { return port_; }
  const TempDir& dir() const { return dir_; }  // its config and log
  std::string log() const { return process_->log(); }

 private:
  TempDir dir_;
  int port_;
  std::unique_ptr<ChildProcess> process_;
};

// A real anvil node (node_modules/.bin/anvil) on a free loopback port; returns once it answers JSON-RPC.
class AnvilProcess {
 public:
  // genesis_timestamp: unix seconds of the genesis block (for simulations starting in the past).
  explicit AnvilProcess(std::optional<std::uint64_t> genesis_timestamp = std::nullopt);
  AnvilProcess(const AnvilProcess&) = delete;
  AnvilProcess& operator=(const AnvilProcess&) = delete;
  const std::string& url() const { return url_; }
  int port() const { return port_; }
  std::string log() const { return process_->log(); }
  static bool installed() { return !missing_anvil(); }

 private:
  TempDir dir_;
  int port_ = 0;
  std::string url_;
  std::unique_ptr<ChildProcess> process_;
};

// --- A recording MQTT client -------------------------------------------------------------------------------
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
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;
  bool connected() const;      // up now (libmosquitto reconnects by itself after a loss)
  int connect_result() const;  // CONNACK code of the latest attempt, -1 while unknown (5: not authorised)
  int disconnects() const;  // how often a connection that was up was closed (a session takeover, a restart)
  // Waits (up to timeout_ms) until disconnects() reaches `count`; false on timeout.
  bool wait_for_disconnects(int count, int timeout_ms = 5000);
  // Subscribes and waits (up to 5 s) for the broker's SUBACK.
  void subscribe(const std::string& filter, int qos = 1);
  int publish(const std::string& topic, const std::string& payload, int qos = 1, bool retain = false);
  // Waits for a message on a topic matching `filter` (MQTT wildcards) that satisfies `predicate`; returns
  // the first such message received since the last clear(), or nullopt on timeout.
  std::optional<Received> wait_for(const std::string& filter,
                                   std::function<bool(const Received&)> predicate = {},
                                   int timeout_ms = 5000);
  // Publishes `payload` on `request_topic` and waits for the first message on `response_topic` after it.
  std::optional<Received> request(const std::string& request_topic, const std::string& payload,
                                  const std::string& response_topic, int timeout_ms = 5000);
  std::vector<Received> messages() const;
  void clear();

 private:
  static void on_connect(mosquitto*, void*, int);
  static void on_disconnect(mosquitto*, void*, int);
  static void on_subscribe(mosquitto*, void*, int, int, const int*);
  static void on_message(mosquitto*, void*, const mosquitto_message*);
  mosquitto* client_ = nullptr;
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<Received> messages_;
  int connect_result_ = -1;
  bool up_ = false;
  int disconnects_ = 0;
  int subscriptions_acknowledged_ = 0;
};

// Credentials from the hub's data dir (broker/accounts.json).
nlohmann::json accounts(const std::string& data_dir);

// A client logged in with one of the hub's generated accounts ("observer", "admin", "plugin-<id>") once the
// hub has written them and its broker accepts; nullptr after the timeout. The hub's broker accepts only client
// ids under the account ("observer", "observer-<anything>"; core/src/client_id_rule.hpp): another id throws
// std::invalid_argument. To try a refused id, construct an MqttClient.
std::unique_ptr<MqttClient> connect_account(const std::string& data_dir, int port, const std::string& account,
                                            const std::string& client_id, int timeout_ms = 10000);

// Writes a config file with the given body and a [bus] on `port`; returns its path.
std::string write_config(const std::string& directory, int port, const std::string& body,
                         const std::string& extra_plugin_dir = {});

// Config tables of the simulated home, for a write_config() body: relay "relay" (sim, on), sim-load "load"
// (synthetic), sim-pv "pv" (clear sky, 5 kWp) and sim-battery "battery" (10 kWh, 5 kW, on the relay), the sims
// publishing every `period_s` seconds; with `grid`, sim-grid "grid" netting them (fixed prices).
std::string simulated_home(int period_s, bool grid = false);

}  // namespace hepek::testing
