// The ERGON contracts (Registry, ErgonToken, PaymentChannel) as C++ calls over JSON-RPC.
//
// Contract:
// - Every state-changing call signs and sends one EIP-1559 transaction from the given ChainAccount (key in a
// file
//   or the hub's key store via a DigestSigner), waits for its receipt and returns it; a revert throws
//   ChainError whose message names the call and decodes the contract's custom error (e.g. "close: reverted:
//   AmountAboveDeposit(amount=…, deposit=…)").
// - When a virtual clock is set (simulation), each transaction is mined at max(virtual now, last block + 1) s
//   (anvil's evm_setNextBlockTimestamp), so challenge windows pass in simulated seconds.
// - Views are eth_calls against "latest". Amounts are uint256 base units.
// - gas_used() counts the gas of every transaction sent through this object (for summaries and benchmarks).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hepek/eth/abi.hpp"
#include "hepek/eth/rpc.hpp"
#include "hepek/eth/tx_sender.hpp"
#include "hepek/eth/typed_messages.hpp"

namespace hepek::ergon {

class ChainError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ContractAddresses {
  eth::Address registry;
  eth::Address token;
  eth::Address channel;
  nlohmann::json to_json() const;
  static ContractAddresses from_json(
      const nlohmann::json& json);  // throws std::invalid_argument naming the field
};

struct ChainAccount {
  eth::Address address;
  eth::DigestSigner signer;
  static ChainAccount from_key(const eth::PrivateKey& key);
};

struct ChannelInfo {
  eth::Address device;
  int state = 0;  // 0 none, 1 open, 2 closing, 3 closed
  std::uint64_t closes_at = 0;
  eth::uint256 deposit;
  eth::uint256 claimed_amount;
  eth::uint256 claimed_import_wh;
  std::uint64_t claimed_cycle = 0;
};

struct CloseRequest {
  eth::Bytes32 channel_id{};
  eth::Address device;
  eth::uint256 claimed_amount;
  std::uint64_t closes_at = 0;
  std::uint64_t block_number = 0;
};

struct ClosedEvent {
  eth::Bytes32 channel_id{};
  eth::uint256 paid_to_operator;
  eth::uint256 refunded_to_device;
  bool cooperative = false;
};

// A signed balance proof as it travels (signature in the v = 27/28 form the contract accepts).
struct SignedProof {
  eth::BalanceProof proof;
  eth::Bytes signature;
};

// Explains a revert message: appends the decoded custom error when the node's message carries its data.
std::string explain_revert(const std::string& message);

class ErgonChain {
 public:
  ErgonChain(std::string url, ContractAddresses contracts);

  // Deploys the three contracts with `operator_key` as admin, minter and channel operator.
  static ContractAddresses deploy(eth::RpcClient& rpc, const eth::PrivateKey& operator_key,
                                  const std::string& artifacts_dir, std::uint64_t challenge_period_s,
                                  std::uint64_t* gas_used = nullptr);

  // Simulation: transactions are mined at this virtual time (unix seconds).
  void set_virtual_clock(std::function<std::uint64_t()> now_s) { virtual_now_s_ = std::move(now_s); }

  eth::RpcClient& rpc() { return rpc_; }
  const ContractAddresses& contracts() const { return contracts_; }
  std::uint64_t chain_id();
  std::uint64_t gas_used() const { return gas_used_; }

  // Registry.
  eth::Receipt manufacture(const ChainAccount& operator_account, const std::string& device_id,
                           const eth::Address& device);
  eth::Receipt claim(const ChainAccount& owner, const std::string& device_id);
  eth::Receipt deactivate(const ChainAccount& operator_account, const std::string& device_id);
  eth::Address device_of(const std::string& device_id);
  eth::Address owner_of(const eth::Address& device);
  bool is_active(const eth::Address& device);

  // Token.
  eth::Receipt mint(const ChainAccount& minter, const eth::Address& to, const eth::uint256& amount);
  eth::uint256 balance_of(const eth::Address& account);

  // Channel.
  eth::Bytes32 channel_domain_separator();
  eth::Bytes32 open_channel_of(const eth::Address& device);  // zero when none
  eth::Bytes32 next_channel_id(const eth::Address& device);
  ChannelInfo get_channel(const eth::Bytes32& channel_id);
  // Signs an EIP-2612 permit for the channel contract with `device` and opens / tops up with it.
  eth::Receipt open_with_permit(const ChainAccount& device, const eth::uint256& deposit);
  eth::Receipt top_up_with_permit(const ChainAccount& device, const eth::Bytes32& channel_id,
                                  const eth::uint256& amount);
  eth::Receipt close(const ChainAccount& operator_account, const SignedProof& proof);
  eth::Receipt request_close(const ChainAccount& device, const SignedProof& proof);
  eth::Receipt challenge(const ChainAccount& operator_account, const SignedProof& proof);
  eth::Receipt settle(const ChainAccount& anyone, const eth::Bytes32& channel_id);
  std::vector<CloseRequest> close_requests(std::uint64_t from_block);
  std::optional<ClosedEvent> closed_event(const eth::Receipt& receipt) const;

  // Time on chain.
  std::uint64_t latest_block_timestamp();

 private:
  eth::Receipt send(const char* what, const ChainAccount& from, const eth::Address& to, eth::Bytes data);
  std::vector<eth::AbiValue> view(const eth::Address& to, const std::string& signature,
                                  const std::vector<eth::AbiValue>& args, const std::string& returns);
  eth::Receipt send_proof(const char* function, const ChainAccount& from, const SignedProof& proof);
  eth::Signature sign_permit(const ChainAccount& device, const eth::uint256& value,
                             const eth::uint256& deadline);

  eth::RpcClient rpc_;
  ContractAddresses contracts_;
  std::function<std::uint64_t()> virtual_now_s_;
  std::optional<std::uint64_t> chain_id_;
  std::uint64_t gas_used_ = 0;
};

}  // namespace hepek::ergon
