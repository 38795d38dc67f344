#include "chain_supervisor.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "broker.hpp"
#include "plugin_library.hpp"

namespace hepek::core {

namespace fs = std::filesystem;

std::string find_anvil() {
  if (const char* configured = std::getenv("HEPEK_ANVIL"); configured && *configured) return configured;
  if (std::string in_path = find_in_path("anvil"); !in_path.empty()) return in_path;
  // The project's own node_modules (npm ci): next to the source tree of a build, or the working directory.
  const fs::path plugins = builtin_plugin_dir();  // <prefix>/lib/hepek/plugins
  for (const fs::path& root : {plugins.parent_path().parent_path().parent_path().parent_path().parent_path(),
                               plugins.parent_path().parent_path().parent_path(), fs::current_path()}) {
    const fs::path candidate = root / "node_modules" / ".bin" / "anvil";
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return {};
}

bool json_rpc_answers(const std::string& host, int port) {
  httplib::Client client(host, port);
  client.set_connection_timeout(0, 200000);
  client.set_read_timeout(1, 0);
  const auto response =
      client.Post("/", R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]})", "application/json");
  return response && response->status == 200 && response->body.find("result") != std::string::npos;
}

ChainSupervisor::ChainSupervisor(std::string directory, std::string host, int port, int64_t chain_id,
                                 int64_t genesis_timestamp_s)
    : directory_(std::move(directory)),
      host_(std::move(host)),
      port_(port),
      chain_id_(chain_id),
      genesis_timestamp_s_(genesis_timestamp_s) {}

ChainSupervisor::~ChainSupervisor() {
  stop();
}

std::string ChainSupervisor::endpoint() const {
  return fmt::format("http://{}:{}", host_, port_);
}

void ChainSupervisor::start() {
  const std::string anvil = find_anvil();
  if (anvil.empty())
    throw std::runtime_error(
        "[chain] endpoint = \"embedded\" needs Foundry's anvil: run scripts/install-deps (npm ci installs "
        "@foundry-rs/anvil-linux-amd64), set HEPEK_ANVIL, or configure a JSON-RPC endpoint");
  if (port_in_use(host_, port_))
    throw std::runtime_error(
        fmt::format("port {} on {} is already in use (another Ethereum node?); choose another [chain] port "
                    "or set [chain] "
                    "endpoint = \"http://{}:{}\" to use it",
                    port_, host_, host_, port_));
  fs::create_directories(directory_);
  chmod(directory_.c_str(), 0700);
  const std::string host = host_;
  const int port = port_;
  process_ = std::make_unique<SupervisedProcess>(
      "the embedded chain (anvil)",
      std::vector<std::string>{anvil, "--host", host_, "--port", std::to_string(port_), "--chain-id",
                               std::to_string(chain_id_), "--timestamp", std::to_string(genesis_timestamp_s_),
                               "--state", directory_ + "/anvil-state.json", "--state-interval", "10",
                               "--silent"},
      directory_ + "/anvil.log", [host, port] { return json_rpc_answers(host, port); });
  process_->start(20000);
}

void ChainSupervisor::stop() {
  if (process_) process_->stop();
}

}  // namespace hepek::core
