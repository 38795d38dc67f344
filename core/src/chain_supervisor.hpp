// The embedded chain: a supervised Foundry anvil node for `[chain] endpoint = "embedded"`.
//
// Contract: start() finds anvil (HEPEK_ANVIL, PATH, or the project's node_modules), refuses a taken port with a clear
// message, starts it with the configured chain id and genesis timestamp (the hub clock's start, so a simulation's
// chain begins at its virtual start) and its state file in the data dir, and returns once it answers JSON-RPC.
// Contracts are deployed by the plugin that owns them, not here: the core knows no contracts.
#pragma once

#include <memory>
#include <string>

#include "supervised_process.hpp"

namespace hepek::core {

class ChainSupervisor {
 public:
  ChainSupervisor(std::string directory, std::string host, int port, int64_t chain_id,
                  int64_t genesis_timestamp_s);
  ~ChainSupervisor();
  void start();
  void stop();
  std::string endpoint() const;
  bool running() const { return process_ && process_->running(); }
  int restarts() const { return process_ ? process_->restarts() : 0; }

 private:
  std::string directory_;
  std::string host_;
  int port_;
  int64_t chain_id_;
  int64_t genesis_timestamp_s_;
  std::unique_ptr<SupervisedProcess> process_;
};

// Path of the anvil binary, or empty.
std::string find_anvil();
// True when a JSON-RPC node answers eth_chainId at host:port.
bool json_rpc_answers(const std::string& host, int port);

}  // namespace hepek::core
