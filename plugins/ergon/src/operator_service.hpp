// Serenity, the operator: deploys and administers the ERGON contracts, sells tokens through the sandbox
// payment provider, signs the tariff, verifies and stores balance proofs, closes channels and answers stale
// closes. Bus-free: the plugin (operator_role.cpp) and the tests drive it.
//
// Contract:
// - Construction loads (or creates, 0600) the operator key, opens <data_dir>/operator.db and makes sure the
//   contracts exist: configured addresses are used as given (external chain); otherwise the recorded
//   deployment is reused if the chain's genesis hash still matches, and the three contracts are deployed (and
//   the key funded with anvil_setBalance on a test chain) when nothing is recorded. A recorded deployment on
//   a chain with another genesis hash (a reset chain) throws ChainError saying so — never silently reused.
// - buy(): refuses non-positive amounts and bad payment methods, records the payment durably, then mints; the
// same
//   request id returns the stored outcome (no double charge or mint; an approved-but-unminted record is
//   minted).
// - handle_proof(): check_proof() with fresh registry/channel views, then stores accepted proofs before
// returning.
// - close_channel(): cooperative close with the latest stored proof. watch_closes(): challenges every device-
//   initiated close that claims less than the stored proof, settles closes whose window is over.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "ergon_chain.hpp"
#include "operator_store.hpp"
#include "payment_sandbox.hpp"
#include "proof_verifier.hpp"
#include "signed_tariff.hpp"

namespace hepek::ergon {

struct OperatorConfig {
  std::string data_dir;
  std::string rpc_url;
  std::string key_file;                        // empty: <data_dir>/operator.key
  std::optional<ContractAddresses> contracts;  // external chain: given; otherwise deployed
  std::uint64_t challenge_period_s = 3600;
  eth::uint256 base_units_per_kwh;
  bool test_chain = true;  // anvil: fund accounts with anvil_setBalance
  std::string artifacts_dir = ERGON_CONTRACTS_DIR;
};

class OperatorService {
 public:
  explicit OperatorService(OperatorConfig config, std::function<std::uint64_t()> virtual_now_s = {});

  ErgonChain& chain() { return *chain_; }
  OperatorStore& store() { return *store_; }
  const eth::Address& address() const { return account_.address; }
  const ChainAccount& account() const { return account_; }
  const std::string& genesis_hash() const { return genesis_hash_; }
  std::uint64_t deployment_gas() const { return deployment_gas_; }

  nlohmann::json contracts_message();
  SignedTariff tariff(std::int64_t valid_from_ms, const std::string& device = "*");

  // Registry admin. On a test chain also funds the device and, when given, the owner account with 10 ETH.
  eth::Receipt manufacture(const std::string& device_id, const eth::Address& device,
                           const std::optional<eth::Address>& owner = std::nullopt);
  void fund(const eth::Address& account);

  PaymentRecord buy(const std::string& request_id, const std::string& device_id, const eth::uint256& amount,
                    const PaymentMethod& method);

  ProofCheck handle_proof(const std::string& device_id, const SignedProof& proof, std::int64_t now_ms);

  std::optional<ClosedEvent> close_channel(const eth::Bytes32& channel_id);
  // Returns a line per action taken ("challenged …", "settled …").
  std::vector<std::string> watch_closes();

 private:
  OperatorConfig config_;
  eth::PrivateKey key_;
  ChainAccount account_;
  std::unique_ptr<OperatorStore> store_;
  std::unique_ptr<ErgonChain> chain_;
  std::string genesis_hash_;
  std::uint64_t deployment_gas_ = 0;
  std::uint64_t watched_from_block_ = 0;
  std::function<std::uint64_t()> now_s_;  // virtual time in simulation; wall clock otherwise
};

}  // namespace hepek::ergon
