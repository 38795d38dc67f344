#include "test_support.hpp"

#include <fcntl.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "hepek/topics.hpp"

namespace hepek::testing {

namespace fs = std::filesystem;

std::string binary_dir() {
  const char* dir = std::getenv("HEPEK_BINARY_DIR");
  return dir ? dir : "build/release";
}
std::string hepek_binary() {
  return binary_dir() + "/bin/hepek";
}
std::string fixture_plugin_dir() {
  return binary_dir() + "/tests/fixtures/plugins";
}
std::string shared_dir() {
  const char* dir = std::getenv("HEPEK_SHARED_DIR");
  return dir ? dir : "../shared";
}
std::string source_dir() {
  const char* dir = std::getenv("HEPEK_SOURCE_DIR");
  return dir ? dir : ".";
}

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "hepek-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}
TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const int port = ntohs(address.sin_port);
  close(fd);
  return port;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

CommandResult run_command(const std::vector<std::string>& argv, int timeout_s) {
  TempDir capture;
  const std::string out_path = capture.path() + "/out", err_path = capture.path() + "/err";
  const pid_t pid = fork();
  if (pid == 0) {
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return {-1, read_file(out_path), read_file(err_path) + "\n(timed out)"};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out_path), read_file(err_path)};
}

HubProcess::HubProcess(const std::string& config_path, const std::string& data_dir,
                       std::vector<std::string> extra) {
  log_path_ = data_dir + ".log";
  std::vector<std::string> argv{hepek_binary(), "--config", config_path, "--data-dir", data_dir, "run"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  pid_ = fork();
  if (pid_ == 0) {
    const int log = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
}

HubProcess::~HubProcess() {
  if (!reaped_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
  }
}

void HubProcess::terminate() {
  if (reaped_ || pid_ <= 0) return;
  kill(pid_, SIGTERM);
  wait(15000);
}

int HubProcess::wait(int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!reaped_) {
    if (waitpid(pid_, &status_, WNOHANG) == pid_) {
      reaped_ = true;
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
}

std::string HubProcess::log() const {
  return read_file(log_path_);
}

namespace {
struct LibraryInit {
  LibraryInit() { mosquitto_lib_init(); }
};
}  // namespace

MqttClient::MqttClient(int port, const std::string& username, const std::string& password,
                       const std::string& client_id) {
  static LibraryInit init;
  client_ = mosquitto_new(client_id.c_str(), true, this);
  mosquitto_int_option(client_, MOSQ_OPT_TCP_NODELAY, 1);
  if (!username.empty()) mosquitto_username_pw_set(client_, username.c_str(), password.c_str());
  mosquitto_connect_callback_set(client_, &on_connect);
  mosquitto_message_callback_set(client_, &on_message);
  mosquitto_connect(client_, "127.0.0.1", port, 30);
  mosquitto_loop_start(client_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::unique_lock lock(mutex_);
  arrived_.wait_until(lock, deadline, [&] { return connect_result_ >= 0; });
}

MqttClient::~MqttClient() {
  mosquitto_disconnect(client_);
  mosquitto_loop_stop(client_, true);
  mosquitto_destroy(client_);
}

bool MqttClient::connected() const {
  std::lock_guard lock(mutex_);
  return connect_result_ == 0;
}

void MqttClient::on_connect(mosquitto*, void* self, int rc) {
  auto* client = static_cast<MqttClient*>(self);
  std::lock_guard lock(client->mutex_);
  client->connect_result_ = rc;
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
  mosquitto_subscribe(client_, nullptr, filter.c_str(), qos);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

int MqttClient::publish(const std::string& topic, const std::string& payload, int qos, bool retain) {
  return mosquitto_publish(client_, nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(),
                           qos, retain);
}

std::optional<Received> MqttClient::wait_for(const std::string& topic,
                                             std::function<bool(const Received&)> predicate, int timeout_ms) {
  std::unique_lock lock(mutex_);
  std::optional<Received> found;
  std::size_t checked = 0;
  arrived_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    for (; checked < messages_.size(); ++checked) {
      const auto& message = messages_[checked];
      if (hepek::topics::topic_matches(topic, message.topic) && (!predicate || predicate(message))) {
        found = message;
        return true;
      }
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
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(data_dir + "/broker/accounts.json")) {
      const auto credentials =
          nlohmann::json::parse(read_file(data_dir + "/broker/accounts.json"), nullptr, false);
      if (credentials.is_object() && credentials.contains(account)) {
        auto client =
            std::make_unique<MqttClient>(port, account, credentials[account].get<std::string>(), client_id);
        if (client->connected()) return client;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
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

}  // namespace hepek::testing
