#include "anvil_process.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

#include "hepek/eth/rpc.hpp"

extern char** environ;

namespace hepek::ergon::testing {
namespace {

std::string anvil_path() {
  const char* source = std::getenv("HEPEK_SOURCE_DIR");
  return (std::filesystem::path(source ? source : ".") / "node_modules/.bin/anvil").string();
}

int pick_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    throw std::runtime_error("no free loopback port");
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace

bool AnvilProcess::installed() {
  return std::filesystem::exists(anvil_path());
}

AnvilProcess::AnvilProcess(std::optional<std::uint64_t> genesis_timestamp) {
  port_ = pick_port();
  std::vector<std::string> args = {anvil_path(),          "--host",  "127.0.0.1", "--port",
                                   std::to_string(port_), "--silent"};
  if (genesis_timestamp) {
    args.push_back("--timestamp");
    args.push_back(std::to_string(*genesis_timestamp));
  }
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  if (posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("cannot start " + args[0]);
  posix_spawn_file_actions_destroy(&actions);
  url_ = "http://127.0.0.1:" + std::to_string(port_);
  eth::RpcClient probe(url_, std::chrono::seconds(2));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    try {
      probe.chain_id();
      return;
    } catch (const eth::RpcError&) {
      if (std::chrono::steady_clock::now() > deadline)
        throw std::runtime_error("anvil did not answer on " + url_);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

AnvilProcess::~AnvilProcess() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
}

}  // namespace hepek::ergon::testing
