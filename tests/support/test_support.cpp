#include "test_support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "client_id_rule.hpp"
#include "hepek/topics.hpp"

extern char** environ;

namespace hepek::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::string environment_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

std::optional<std::string> missing_file(const std::string& path, const std::string& remedy) {
  if (fs::exists(path)) return std::nullopt;
  return path + " does not exist (" + remedy + ")";
}

bool port_accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

// One HTTP/1.0 POST of a JSON-RPC call to 127.0.0.1:port; the response text, or "" when there is none.
std::string json_rpc(int port, const std::string& body) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return {};
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    const std::string request =
        "POST / HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) response.append(buffer, n);
    }
  }
  ::close(fd);
  return response;
}

pid_t spawn(const std::vector<std::string>& argv, const std::string& out_path, const std::string& err_path,
            const CommandOptions* options) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  if (err_path == out_path)
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  else
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
  std::vector<std::string> environment_strings;
  for (char** entry = environ; *entry; ++entry) environment_strings.emplace_back(*entry);
  std::string previous_directory;
  if (options) {
    for (const auto& [name, value] : options->environment) {
      std::erase_if(environment_strings,
                    [&](const std::string& entry) { return entry.rfind(name + "=", 0) == 0; });
      environment_strings.push_back(name + "=" + value);
    }
    if (!options->working_directory.empty()) {
      // posix_spawn_file_actions_addchdir_np exists only from glibc 2.29 and is not portable; the tests run
      // single-threaded here, so change and restore our own directory around the spawn.
      previous_directory = fs::current_path().string();
      fs::current_path(options->working_directory);
    }
  }
  std::vector<char*> args, env;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  for (auto& entry : environment_strings) env.push_back(entry.data());
  env.push_back(nullptr);
  pid_t pid = -1;
  const int error = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (!previous_directory.empty()) fs::current_path(previous_directory);
  if (error != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(error));
  return pid;
}

int exit_code_of(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

// --- Where things are --------------------------------------------------------------------------------------

std::string binary_dir() {
  return environment_or("HEPEK_BINARY_DIR", "build/release");
}
std::string source_dir() {
  return environment_or("HEPEK_SOURCE_DIR", ".");
}
std::string hepek_binary() {
  return binary_dir() + "/bin/hepek";
}
std::string plugin_dir() {
  return binary_dir() + "/lib/hepek/plugins";
}
std::string fixture_plugin_dir() {
  return binary_dir() + "/tests/fixtures/plugins";
}
std::string anvil_binary() {
  return source_dir() + "/node_modules/.bin/anvil";
}
std::string testdata_dir() {
  return source_dir() + "/testdata";
}
std::string testdata(const std::string& relative) {
  const std::string path = testdata_dir() + "/" + relative;
  if (!fs::exists(path))
    throw std::runtime_error("test data " + path + " does not exist (see testdata/README.md)");
  return path;
}

// --- Required peers ----------------------------------------------------------------------------------------

std::optional<std::string> missing_hub() {
  return missing_file(hepek_binary(), "build the hepek target");
}
std::optional<std::string> missing_anvil() {
  return missing_file(anvil_binary(), "run npm ci, or scripts/install-deps");
}
std::optional<std::string> missing_plugin(const std::string& type) {
  return missing_file(plugin_dir() + "/hepek-" + type + ".so", "build the hepek-" + type + " target");
}
bool allow_missing() {
  return environment_or("HEPEK_TEST_ALLOW_MISSING", "") == "1";
}

// --- Files -------------------------------------------------------------------------------------------------

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "hepek-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
  path_ = pattern;
}
TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}
std::string TempDir::write(const std::string& name, const std::string& content) const {
  const std::string path = file(name);
  write_file(path, content);
  return path;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!(out << content)) throw std::runtime_error("cannot write " + path);
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    throw std::runtime_error("no free loopback port");
  ::close(fd);
  return ntohs(address.sin_port);
}

// --- Commands ----------------------------------------------------------------------------------------------

CommandResult run_command(const std::vector<std::string>& argv, int timeout_s) {
  CommandOptions options;
  options.timeout_s = timeout_s;
  return run_command(argv, options);
}

CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options) {
  TempDir capture;
  const std::string out_path = capture.file("out"), err_path = capture.file("err");
  pid_t pid = -1;
  try {
    pid = spawn(argv, out_path, err_path, &options);
  } catch (const std::exception& error) {
    return {127, "", error.what()};
  }
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.timeout_s);
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return {-1, read_file(out_path), read_file(err_path) + "\n(timed out)"};
    }
    std::this_thread::sleep_for(5ms);
  }
  return {exit_code_of(status), read_file(out_path), read_file(err_path)};
}

CommandResult run_hepek(const std::vector<std::string>& args, const CommandOptions& options) {
  std::vector<std::string> argv{hepek_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, options);
}

// --- Processes ---------------------------------------------------------------------------------------------

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& log_path)
    : log_path_(log_path) {
  pid_ = spawn(argv, log_path_, log_path_, nullptr);
}

ChildProcess::~ChildProcess() {
  // SIGTERM first: a hub stops its broker and anvil children only then (SIGKILL would orphan them).
  terminate(10000);
}

void ChildProcess::terminate(int timeout_ms) {
  if (reaped_ || pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  if (wait(timeout_ms) < 0) {
    ::kill(pid_, SIGKILL);
    wait(timeout_ms);
  }
}

int ChildProcess::wait(int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!reaped_) {
    if (::waitpid(pid_, &status_, WNOHANG) == pid_) {
      reaped_ = true;
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(10ms);
  }
  return exit_code_of(status_);
}

bool ChildProcess::running() {
  if (reaped_) return false;
  if (::waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
  return !reaped_;
}

std::string ChildProcess::log() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

namespace {
std::vector<std::string> hub_argv(const std::string& config_path, const std::string& data_dir,
                                  std::vector<std::string> extra) {
  if (const auto missing = missing_hub()) throw std::runtime_error(*missing);
  std::vector<std::string> argv{hepek_binary(), "--config", config_path, "--data-dir", data_dir, "run"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}
}  // namespace

HubProcess::HubProcess(const std::string& config_path, const std::string& data_dir,
                       std::vector<std::string> extra)
    : ChildProcess(hub_argv(config_path, data_dir, std::move(extra)), data_dir + ".log") {}

BrokerProcess::BrokerProcess(int port, const std::string& extra_config) : port_(port) {
  // As root, Mosquitto would drop to the "mosquitto" user, which cannot read our private temp dir.
  const std::string config =
      dir_.write("mosquitto.conf", "listener " + std::to_string(port) + " 127.0.0.1\nuser " +
                                       getpwuid(geteuid())->pw_name + "\n" + extra_config);
  process_ = std::make_unique<ChildProcess>(std::vector<std::string>{"mosquitto", "-c", config},
                                            dir_.file("mosquitto.log"));
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!port_accepts(port)) {
    if (!process_->running() || std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("mosquitto did not listen on port " + std::to_string(port) + ": " + log());
    std::this_thread::sleep_for(20ms);
  }
}

AnvilProcess::AnvilProcess(std::optional<std::uint64_t> genesis_timestamp) {
  if (const auto missing = missing_anvil()) throw std::runtime_error(*missing);
  port_ = free_port();
  std::vector<std::string> argv{anvil_binary(),        "--host",  "127.0.0.1", "--port",
                                std::to_string(port_), "--silent"};
  if (genesis_timestamp) {
    argv.push_back("--timestamp");
    argv.push_back(std::to_string(*genesis_timestamp));
  }
  process_ = std::make_unique<ChildProcess>(argv, dir_.file("anvil.log"));
  url_ = "http://127.0.0.1:" + std::to_string(port_);
  const std::string chain_id = R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]})";
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (json_rpc(port_, chain_id).find("\"result\"") == std::string::npos) {
    if (!process_->running() || std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("anvil did not answer on " + url_ + ": " + log());
    std::this_thread::sleep_for(50ms);
  }
}

// --- A recording MQTT client -------------------------------------------------------------------------------

namespace {
struct LibraryInit {
  LibraryInit() { mosquitto_lib_init(); }
};
}  // namespace

MqttClient::MqttClient(int port, const std::string& username, const std::string& password,
                       const std::string& client_id) {
  static LibraryInit init;
  client_ = mosquitto_new(client_id.c_str(), true, this);
  if (!client_) throw std::runtime_error("mosquitto_new failed");
  mosquitto_int_option(client_, MOSQ_OPT_TCP_NODELAY, 1);
  if (!username.empty()) mosquitto_username_pw_set(client_, username.c_str(), password.c_str());
  mosquitto_connect_callback_set(client_, &on_connect);
  mosquitto_disconnect_callback_set(client_, &on_disconnect);
  mosquitto_subscribe_callback_set(client_, &on_subscribe);
  mosquitto_message_callback_set(client_, &on_message);
  if (mosquitto_connect(client_, "127.0.0.1", port, 30) != MOSQ_ERR_SUCCESS) {
    connect_result_ = MOSQ_ERR_CONN_REFUSED;
    return;
  }
  mosquitto_loop_start(client_);
  std::unique_lock lock(mutex_);
  arrived_.wait_for(lock, 5s, [&] { return connect_result_ >= 0; });
}

MqttClient::~MqttClient() {
  mosquitto_disconnect(client_);
  mosquitto_loop_stop(client_, true);
  mosquitto_destroy(client_);
}

bool MqttClient::connected() const {
  std::lock_guard lock(mutex_);
  return up_;
}

int MqttClient::disconnects() const {
  std::lock_guard lock(mutex_);
  return disconnects_;
}

bool MqttClient::wait_for_disconnects(int count, int timeout_ms) {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                           [&] { return disconnects_ >= count; });
}

int MqttClient::connect_result() const {
  std::lock_guard lock(mutex_);
  return connect_result_;
}

void MqttClient::on_connect(mosquitto*, void* self, int rc) {
  auto* client = static_cast<MqttClient*>(self);
  std::lock_guard lock(client->mutex_);
  client->connect_result_ = rc;
  client->up_ = rc == 0;
  client->arrived_.notify_all();
}

void MqttClient::on_disconnect(mosquitto*, void* self, int) {
  auto* client = static_cast<MqttClient*>(self);
  std::lock_guard lock(client->mutex_);
  if (client->up_) ++client->disconnects_;
  client->up_ = false;
  client->arrived_.notify_all();
}

void MqttClient::on_subscribe(mosquitto*, void* self, int, int, const int*) {
  auto* client = static_cast<MqttClient*>(self);
  std::lock_guard lock(client->mutex_);
  ++client->subscriptions_acknowledged_;
  client->arrived_.notify_all();
}

void MqttClient::on_message(mosquitto*, void* self, const mosquitto_message* message) {
  auto* client = static_cast<MqttClient*>(self);
  std::lock_guard lock(client->mutex_);
  client->messages_.push_back(
      {message->topic,
       std::string(static_cast<const char*>(message->payload), static_cast<size_t>(message->payloadlen)),
       message->retain});
  client->arrived_.notify_all();
}

void MqttClient::subscribe(const std::string& filter, int qos) {
  std::unique_lock lock(mutex_);
  const int wanted = subscriptions_acknowledged_ + 1;
  lock.unlock();
  mosquitto_subscribe(client_, nullptr, filter.c_str(), qos);
  lock.lock();
  arrived_.wait_for(lock, 5s, [&] { return subscriptions_acknowledged_ >= wanted; });
}

int MqttClient::publish(const std::string& topic, const std::string& payload, int qos, bool retain) {
  return mosquitto_publish(client_, nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(),
                           qos, retain);
}

std::optional<Received> MqttClient::wait_for(const std::string& filter,
                                             std::function<bool(const Received&)> predicate, int timeout_ms) {
  std::unique_lock lock(mutex_);
  std::optional<Received> found;
  std::size_t checked = 0;
  arrived_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    for (; checked < messages_.size(); ++checked) {
      const auto& message = messages_[checked];
      if (hepek::topics::topic_matches(filter, message.topic) && (!predicate || predicate(message))) {
        found = message;
        return true;
      }
    }
    return false;
  });
  return found;
}

std::optional<Received> MqttClient::request(const std::string& request_topic, const std::string& payload,
                                            const std::string& response_topic, int timeout_ms) {
  subscribe(response_topic);
  std::size_t before = 0;
  {
    std::lock_guard lock(mutex_);
    before = messages_.size();
  }
  publish(request_topic, payload);
  std::unique_lock lock(mutex_);
  std::optional<Received> found;
  arrived_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    for (std::size_t i = before; i < messages_.size(); ++i)
      if (hepek::topics::topic_matches(response_topic, messages_[i].topic)) {
        found = messages_[i];
        return true;
      }
    return false;
  });
  return found;
}

std::vector<Received> MqttClient::messages() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

void MqttClient::clear() {
  std::lock_guard lock(mutex_);
  messages_.clear();
}

nlohmann::json accounts(const std::string& data_dir) {
  return nlohmann::json::parse(read_file(data_dir + "/broker/accounts.json"));
}

std::unique_ptr<MqttClient> connect_account(const std::string& data_dir, int port, const std::string& account,
                                            const std::string& client_id, int timeout_ms) {
  // The hub's broker refuses any other id; say so here instead of timing out without a reason.
  if (!hepek::core::client_id_under(account, client_id))
    throw std::invalid_argument("connect_account: client id \"" + client_id + "\" is not under account \"" +
                                account + "\" (it must be \"" + account + "\" or start with \"" + account +
                                "-\"), so the hub's broker would refuse it");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  const std::string path = data_dir + "/broker/accounts.json";
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(path)) {
      std::ifstream in(path);
      const auto credentials = nlohmann::json::parse(in, nullptr, false);
      if (credentials.is_object() && credentials.contains(account)) {
        auto client =
            std::make_unique<MqttClient>(port, account, credentials[account].get<std::string>(), client_id);
        if (client->connected()) return client;
      }
    }
    std::this_thread::sleep_for(20ms);
  }
  return nullptr;
}

std::string write_config(const std::string& directory, int port, const std::string& body,
                         const std::string& extra_plugin_dir) {
  std::string text = "[hub]\nname = \"test\"\ntimezone = \"Europe/Amsterdam\"\n";
  if (!extra_plugin_dir.empty()) text += "plugin_dirs = [\"" + extra_plugin_dir + "\"]\n";
  text += "\n[bus]\nbroker = \"embedded\"\nport = " + std::to_string(port) + "\n\n" + body;
  const std::string path = directory + "/hepek.toml";
  write_file(path, text);
  return path;
}

std::string simulated_home(int period_s, bool grid) {
  const std::string period = "period_s = " + std::to_string(period_s) + "\n";
  std::string body =
      "\n[[plugin]]\nid = \"relay\"\ntype = \"relay\"\nbackend = \"sim\"\ndefault_state = \"on\"\n";
  body += "\n[[plugin]]\nid = \"load\"\ntype = \"sim-load\"\nsource = \"synthetic\"\nannual_kwh = 3500.0\n" +
          period;
  body += "\n[[plugin]]\nid = \"pv\"\ntype = \"sim-pv\"\nsource = \"clear-sky\"\nkwp = 5.0\n" + period;
  body +=
      "\n[[plugin]]\nid = \"battery\"\ntype = \"sim-battery\"\ncapacity_wh = 10000.0\nmax_charge_w = 5000.0\n"
      "max_discharge_w = 5000.0\nload = \"load\"\npv = \"pv\"\nrelay = \"relay\"\n" +
      period;
  if (grid)
    body +=
        "\n[[plugin]]\nid = \"grid\"\ntype = \"sim-grid\"\nload = \"load\"\npv = \"pv\"\nbattery = "
        "\"battery\"\n"
        "relay = \"relay\"\n";
  return body;
}

}  // namespace hepek::testing
