// Completes, signs and sends transactions through a node: the part of a wallet that talks to the chain.
//
// Contract:
// - prepare_transaction() turns a request into a complete Transaction: chain id from the node, nonce = the
// sender's
//   pending nonce unless given, fees from RpcClient::suggest_fees() unless given, gas = eth_estimateGas + 20
//   % headroom unless given (unused gas is refunded; the headroom absorbs state changes between estimate and
//   inclusion). Estimation failures (e.g. the call would revert) throw RpcError with the node's reason.
// - The signer is a function so the key can live elsewhere (the hub's key store signs digests via the host
// API).
// - send_transaction() = prepare + sign + eth_sendRawTransaction + wait_for_success; it throws RpcError if
// the node
//   refuses the transaction, no receipt arrives in time, or the transaction reverts.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "hepek/eth/keys.hpp"
#include "hepek/eth/rpc.hpp"
#include "hepek/eth/transaction.hpp"

namespace hepek::eth {

struct TransactionRequest {
  std::uint8_t type = 2;
  std::optional<Address> to;  // absent: contract creation
  uint256 value;
  Bytes data;
  std::vector<AccessListEntry> access_list;
  std::optional<std::uint64_t> nonce;
  std::optional<std::uint64_t> gas_limit;
  std::optional<FeeSuggestion> fees;
};

using DigestSigner = std::function<Signature(const Bytes32& digest)>;

Transaction prepare_transaction(RpcClient& rpc, const Address& from, const TransactionRequest& request);

struct SentTransaction {
  SignedTransaction signed_transaction;
  Receipt receipt;
};

SentTransaction send_transaction(RpcClient& rpc, const Address& from, const DigestSigner& signer,
                                 const TransactionRequest& request,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(60));
SentTransaction send_transaction(RpcClient& rpc, const PrivateKey& key, const TransactionRequest& request,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace hepek::eth
