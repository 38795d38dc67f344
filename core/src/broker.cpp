#include "broker.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "hepek/json_limits.hpp"
#include "log.hpp"
#include "plugin_library.hpp"

namespace hepek::core {

namespace {

void write_private_file(const std::string& path, const std::string& content) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + temporary);
    out << content;
  }
  chmod(temporary.c_str(), 0600);
  if (rename(temporary.c_str(), path.c_str()) != 0) throw std::runtime_error("cannot replace " + path);
}

std::string current_user_name() {
  if (const passwd* entry = getpwuid(geteuid())) return entry->pw_name;
  return "root";
}

sockaddr_in make_address(const std::string& host, int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  const std::string ip = host == "localhost" ? "127.0.0.1" : host;
  if (inet_pton(AF_INET, ip.c_str(), &address.sin_addr) != 1)
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

}  // namespace

std::string random_token(std::size_t bytes) {
  std::ifstream urandom("/dev/urandom", std::ios::binary);
  std::string raw(bytes, '\0');
  urandom.read(raw.data(), static_cast<std::streamsize>(bytes));
  if (!urandom) throw std::runtime_error("cannot read /dev/urandom");
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string token;
  for (unsigned char byte : raw) token += alphabet[byte % 62];
  return token;
}

bool port_accepts(const std::string& host, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address = make_address(host == "0.0.0.0" ? "127.0.0.1" : host, port);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

bool port_in_use(const std::string& host, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address = make_address(host, port);
  const bool in_use =
      bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 && errno == EADDRINUSE;
  close(fd);
  return in_use;
}

AccountStore::AccountStore(std::string path) : path_(std::move(path)) {
  std::ifstream in(path_);
  if (!in) return;
  const auto json = nlohmann::json::parse(in, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    log_warning("broker", fmt::format("{} is not valid JSON; generating new bus accounts", path_));
    return;
  }
  for (const auto& [user, password] : json.items())
    if (password.is_string()) accounts_[user] = password;
}

BrokerAccount AccountStore::get_or_create(const std::string& username) {
  auto [it, inserted] = accounts_.try_emplace(username, std::string());
  if (inserted) it->second = random_token(24);
  return {username, it->second};
}

void AccountStore::save() const {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [user, password] : accounts_) json[user] = password;
  write_private_file(path_, json.dump(2) + "\n");
}

std::string builtin_broker_plugin() {
  return (std::filesystem::path(installation_prefix()) / HEPEK_BROKER_PLUGIN_PATH).string();
}

BrokerSupervisor::BrokerSupervisor(std::string directory, std::string bind_address, int port,
                                   std::string plugin_path)
    : directory_(std::move(directory)),
      bind_address_(std::move(bind_address)),
      port_(port),
      plugin_path_(std::move(plugin_path)) {}

BrokerSupervisor::~BrokerSupervisor() {
  stop();
}

void BrokerSupervisor::prepare(const std::vector<AccountAcl>& acls, AccountStore& accounts) {
  if (!std::filesystem::is_regular_file(plugin_path_))
    throw std::runtime_error(
        fmt::format("the embedded broker's client-id plugin {} is missing (it is built with the hepek target "
                    "and installed "
                    "to lib/hepek/broker/ beside the plugins); without it any account could disconnect the "
                    "hub by reusing its "
                    "client id",
                    plugin_path_));
  mkdir(directory_.c_str(), 0700);
  chmod(directory_.c_str(), 0700);
  // Plain "user:password" lines, then mosquitto_passwd -U hashes them in place (the broker's own hashing).
  std::string passwords;
  std::string usernames;
  for (const auto& acl : acls) {
    const BrokerAccount account = accounts.get_or_create(acl.username);
    passwords += account.username + ":" + account.password + "\n";
    usernames += (usernames.empty() ? "" : ",") + account.username;
  }
  accounts.save();
  const std::string password_file = directory_ + "/passwd";
  write_private_file(password_file, passwords);
  ChildProcess hasher;
  hasher.start({"mosquitto_passwd", "-U", password_file}, directory_ + "/mosquitto.log");
  std::string how;
  for (int i = 0; i < 1000 && !hasher.exited(&how); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (how != "exited with status 0")
    throw std::runtime_error("mosquitto_passwd could not hash the bus passwords (" + how + ")");

  write_private_file(directory_ + "/acl", render_mosquitto_acl(acls));
  // Mosquitto started as root drops to user "mosquitto", which cannot enter the 0700 data dir: run it as the
  // hub's own user instead.
  const std::string conf = fmt::format(
      "# Generated by the HEPEK hub at every start; edit config/hepek.toml instead.\n"
      "per_listener_settings false\n"
      "listener {} {}\n"
      "allow_anonymous false\n"
      "password_file {}/passwd\n"
      "acl_file {}/acl\n"
      // Client ids bound to accounts (client_id_rule.hpp), so no account can take over another one's session.
      // The plugin defers an acceptable id to password_file, which Mosquitto consults after the plugins.
      "plugin {}\n"
      "plugin_opt_accounts {}\n"
      "persistence true\n"
      "persistence_location {}/\n"
      "persistence_file mosquitto.db\n"
      "autosave_interval 60\n"
      "set_tcp_nodelay true\n"
      "max_queued_messages 100000\n"
      // The topic contract's message size limit (hepek/json_limits.hpp): a bigger publish is dropped by the
      // broker (message_size_limit drops the message; max_packet_size would disconnect the publisher).
      "message_size_limit {}\n"
      "user {}\n"
      "log_dest stderr\n"
      "log_type error\nlog_type warning\nlog_type notice\n",
      port_, bind_address_, directory_, directory_, plugin_path_, usernames, directory_,
      json_limits::kMaxBytes, current_user_name());
  write_private_file(directory_ + "/mosquitto.conf", conf);
}

void BrokerSupervisor::start() {
  if (port_in_use(bind_address_, port_))
    throw std::runtime_error(fmt::format(
        "port {} on {} is already in use (another MQTT broker, such as a system Mosquitto?). Stop it, choose "
        "another [bus] port, or use it with [bus] broker = \"mqtt://localhost:{}\"",
        port_, bind_address_, port_));
  const std::string host = bind_address_;
  const int port = port_;
  process_ = std::make_unique<SupervisedProcess>(
      "the embedded Mosquitto", std::vector<std::string>{"mosquitto", "-c", directory_ + "/mosquitto.conf"},
      directory_ + "/mosquitto.log", [host, port] { return port_accepts(host, port); });
  process_->start();
}

void BrokerSupervisor::stop() {
  if (process_) process_->stop();
}

}  // namespace hepek::core
