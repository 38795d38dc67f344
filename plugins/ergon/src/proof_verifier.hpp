// The operator's checks on one balance proof, before it stores and acknowledges it.
//
// Contract: check_proof() is pure: given the proof and what the operator knows (from its store and eth_calls)
// it returns {verdict, reason}. Checks, in order: signature well-formed and low-s; the EIP-712 digest under
// the operator's own domain (chain id, PaymentChannel address) recovers the registry's device key for the
// device id (a proof signed by another key, or for another chain or contract, recovers someone else); the
// device is registered, claimed and active; the proof's channel is the device's open channel on chain; the
// amount is ≥ the last accepted one (equal with the same content = duplicate, re-acknowledged), ≤ the
// deposit; the signed meter reading (cumulativeImportWh) does not go back; and Δamount ≥ price_of_energy(ΔWh,
// tariff).
#pragma once

#include <optional>
#include <string>

#include "ergon_chain.hpp"

namespace hepek::ergon {

struct AcceptedProof {
  eth::uint256 cumulative_amount;
  eth::uint256 cumulative_import_wh;
  std::uint64_t cycle = 0;
  eth::Bytes signature;
};

struct ProofCheckInput {
  SignedProof proof;
  std::uint64_t chain_id = 0;
  eth::Address channel_contract;
  eth::Address registered_device;         // Registry.deviceOf(device id); zero when unknown
  eth::Address owner;                     // Registry.ownerOf(device); zero when unclaimed
  bool active = false;                    // Registry.isActive(device)
  eth::Bytes32 open_channel{};            // PaymentChannel.openChannelOf(device)
  ChannelInfo channel;                    // getChannel(proof.channelId)
  std::optional<AcceptedProof> previous;  // the latest accepted proof of this channel
  eth::uint256 base_units_per_kwh;
};

enum class ProofVerdict { accepted, duplicate, rejected };

struct ProofCheck {
  ProofVerdict verdict = ProofVerdict::rejected;
  std::string reason;
};

// The EIP-712 digest of a proof under the PaymentChannel's domain.
eth::Bytes32 proof_digest(const eth::BalanceProof& proof, std::uint64_t chain_id,
                          const eth::Address& channel_contract);

ProofCheck check_proof(const ProofCheckInput& input);

}  // namespace hepek::ergon
