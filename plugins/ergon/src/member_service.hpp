// The HEPEK's wallet (member role): registration, channel, billing cycles and balance proofs. Bus-free: the
// plugin (member_role.cpp) and the tests drive it.
//
// Contract:
// - The device key never leaves the key store: the member gets two signers, one for transactions and permits
//   (purpose "transaction"), one for balance proofs (purpose "balance-proof"). The owner account's key lives
//   in <data_dir>/owner.key (0600, created on first start).
// - bill_cycle(meter_import_wh, now_ms): prices the Wh imported since the last billed reading with the
// operator's
//   signed tariff (price_of_energy, per cycle), signs the new cumulative proof and stores it (with the new
//   billing position, one transaction) BEFORE returning it for sending. If the remaining deposit cannot pay
//   the whole cycle it bills only the Wh it can pay (floor(remaining × 1000 / tariff)); the rest stays as
//   unbilled debt, billed after the next top-up. The proof's cumulativeImportWh is the billed import since
//   the channel opened.
// - pending(): the latest proof not yet acknowledged (to resend after reconnects and restarts); on_ack()
// marks it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "ergon_chain.hpp"
#include "member_store.hpp"
#include "signed_tariff.hpp"

namespace hepek::ergon {

struct MemberConfig {
  std::string data_dir;
  std::string rpc_url;
  std::string device_id;
  eth::Address device;
  eth::DigestSigner transaction_signer;
  eth::DigestSigner proof_signer;
};

struct WalletState {
  std::string registration;  // "waiting for contracts", "not manufactured", "claimed", ...
  eth::uint256 token_balance;
  eth::uint256 deposit;
  eth::uint256 spent;  // latest signed cumulative amount
  eth::uint256 remaining;
  std::uint64_t cycle = 0;
  eth::uint256 unbilled_wh;
  std::optional<StoredProof> last_proof;
  std::string channel_id;  // hex, empty when no channel
};

class MemberService {
 public:
  explicit MemberService(MemberConfig config, std::function<std::uint64_t()> virtual_now_s = {});

  // From the operator's retained broadcasts. The contracts are recorded; a different set later is refused
  // unless the member has no open channel (ChainError naming both).
  void set_contracts(const ContractAddresses& contracts, const eth::Address& operator_address);
  // Verifies the tariff's signature against the operator; returns the error or "".
  std::string set_tariff(const SignedTariff& tariff);
  bool ready() const { return chain_ != nullptr && tariff_.has_value(); }

  const eth::Address& owner_address() const { return owner_.address; }
  const eth::Address& device_address() const { return config_.device; }
  // Claims the device from the owner account once the operator manufactured it. Returns the registration
  // state.
  std::string register_device();

  eth::uint256 token_balance();
  std::optional<eth::Bytes32> channel_id();
  // Opens the channel with `deposit` (device signs the permit), recording the meter baseline.
  void open_channel(const eth::uint256& deposit, const eth::uint256& meter_import_wh);
  void top_up(const eth::uint256& amount);
  std::optional<SignedProof> bill_cycle(const eth::uint256& meter_import_wh, std::int64_t now_ms);
  std::optional<SignedProof> pending();
  void on_ack(const eth::Bytes32& channel_id, std::uint64_t cycle);
  // Device-initiated close with the latest proof (or a stale one, for tests: `proof` given).
  eth::Receipt request_close(const std::optional<SignedProof>& proof = std::nullopt);
  void forget_channel();  // after the channel closed

  WalletState state();
  ErgonChain& chain() { return *chain_; }
  MemberStore& store() { return *store_; }
  std::uint64_t proofs_signed() const { return proofs_signed_; }

 private:
  SignedProof sign_proof(const eth::BalanceProof& proof);
  ChainAccount device_account() const { return {config_.device, config_.transaction_signer}; }

  MemberConfig config_;
  std::function<std::uint64_t()> virtual_now_s_;
  ChainAccount owner_;
  std::optional<eth::PrivateKey> owner_key_;
  std::unique_ptr<MemberStore> store_;
  std::unique_ptr<ErgonChain> chain_;
  eth::Address operator_;
  std::optional<SignedTariff> tariff_;
  std::uint64_t proofs_signed_ = 0;
};

}  // namespace hepek::ergon
