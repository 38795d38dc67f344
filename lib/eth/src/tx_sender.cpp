#include "hepek/eth/tx_sender.hpp"

#include <fmt/format.h>

namespace hepek::eth {

Transaction prepare_transaction(RpcClient& rpc, const Address& from, const TransactionRequest& request) {
  Transaction tx;
  tx.type = request.type;
  tx.chain_id = rpc.chain_id();
  tx.nonce = request.nonce ? *request.nonce : rpc.pending_nonce(from);
  tx.to = request.to;
  tx.value = request.value;
  tx.data = request.data;
  tx.access_list = request.access_list;
  const FeeSuggestion fees = request.fees ? *request.fees : rpc.suggest_fees();
  if (tx.type == 2) {
    tx.max_fee_per_gas = fees.max_fee_per_gas;
    tx.max_priority_fee_per_gas = fees.max_priority_fee_per_gas;
  } else {
    tx.gas_price = fees.gas_price;
  }
  if (request.gas_limit) {
    tx.gas_limit = *request.gas_limit;
  } else {
    const std::uint64_t estimate = rpc.estimate_gas({from, tx.to, tx.data, tx.value, std::nullopt});
    // A plain transfer costs exactly 21000; anything else gets headroom.
    tx.gas_limit = estimate == 21000 && tx.data.empty() ? estimate : estimate + estimate / 5;
  }
  validate(tx);
  return tx;
}

SentTransaction send_transaction(RpcClient& rpc, const Address& from, const DigestSigner& signer,
                                 const TransactionRequest& request, std::chrono::milliseconds timeout) {
  const Transaction tx = prepare_transaction(rpc, from, request);
  SignedTransaction signed_tx{tx, signer(signing_hash(tx))};
  if (signed_tx.sender() != from)
    throw std::invalid_argument(fmt::format("signer does not hold the key of {}", from.checksummed()));
  const Bytes32 hash = rpc.send_raw_transaction(signed_tx.raw());
  if (hash != signed_tx.hash())
    throw RpcError(fmt::format("eth_sendRawTransaction: node returned hash {} for transaction {}",
                               to_hex(hash), to_hex(signed_tx.hash())));
  Receipt receipt = rpc.wait_for_success(hash, timeout);
  return {std::move(signed_tx), std::move(receipt)};
}

SentTransaction send_transaction(RpcClient& rpc, const PrivateKey& key, const TransactionRequest& request,
                                 std::chrono::milliseconds timeout) {
  return send_transaction(
      rpc, key.address(), [&key](const Bytes32& digest) { return key.sign(digest); }, request, timeout);
}

}  // namespace hepek::eth
