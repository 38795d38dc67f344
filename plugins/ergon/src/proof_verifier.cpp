#include "proof_verifier.hpp"

#include <fmt/format.h>

#include "pricing.hpp"

namespace hepek::ergon {
namespace {
ProofCheck reject(std::string reason) {
  return {ProofVerdict::rejected, std::move(reason)};
}
}  // namespace

eth::Bytes32 proof_digest(const eth::BalanceProof& proof, std::uint64_t chain_id,
                          const eth::Address& channel_contract) {
  const eth::Bytes32 domain =
      eth::domain_separator({"ERGON PaymentChannel", "1", chain_id, channel_contract});
  return proof.digest(domain);
}

ProofCheck check_proof(const ProofCheckInput& in) {
  const auto& p = in.proof.proof;
  eth::Address signer;
  try {
    const eth::Signature signature = eth::Signature::from_bytes(in.proof.signature);
    signer = eth::recover_address(proof_digest(p, in.chain_id, in.channel_contract), signature);
  } catch (const std::exception& error) {
    return reject(std::string("bad signature: ") + error.what());
  }
  if (in.registered_device.is_zero()) return reject("device is not registered (unknown device id)");
  if (signer != in.registered_device)
    return reject(
        fmt::format("signature recovers {}, not the device key {} (signed by another key, or for another "
                    "chain, contract or channel)",
                    signer.checksummed(), in.registered_device.checksummed()));
  if (in.owner.is_zero()) return reject("device is registered but not claimed by an owner");
  if (!in.active) return reject("device is deactivated");
  const eth::uint256 previous_amount = in.previous ? in.previous->cumulative_amount : eth::uint256(0);
  const eth::uint256 previous_wh = in.previous ? in.previous->cumulative_import_wh : eth::uint256(0);
  if (in.previous && p.cumulative_amount == previous_amount && p.cumulative_import_wh == previous_wh &&
      p.cycle == in.previous->cycle)
    return {ProofVerdict::duplicate, "already accepted"};
  if (in.channel.state == 0) return reject("unknown channel " + eth::to_hex(p.channel_id));
  if (in.channel.device != signer)
    return reject("channel " + eth::to_hex(p.channel_id) + " belongs to another device");
  if (in.channel.state == 3) return reject("channel " + eth::to_hex(p.channel_id) + " is closed");
  if (in.channel.state == 1 && in.open_channel != p.channel_id)
    return reject("proof is for channel " + eth::to_hex(p.channel_id) + ", not the device's open channel " +
                  eth::to_hex(in.open_channel));
  if (p.cumulative_amount < previous_amount)
    return reject(fmt::format("amount decreases: {} < last accepted {}", eth::to_decimal(p.cumulative_amount),
                              eth::to_decimal(previous_amount)));
  if (p.cumulative_amount > in.channel.deposit)
    return reject(fmt::format("amount {} is above the deposit {}", eth::to_decimal(p.cumulative_amount),
                              eth::to_decimal(in.channel.deposit)));
  if (p.cumulative_import_wh < previous_wh)
    return reject(fmt::format("meter reading goes back: {} Wh < {} Wh",
                              eth::to_decimal(p.cumulative_import_wh), eth::to_decimal(previous_wh)));
  if (in.previous && p.cycle <= in.previous->cycle)
    return reject(
        fmt::format("cycle {} does not follow the last accepted cycle {}", p.cycle, in.previous->cycle));
  const eth::uint256 due = price_of_energy(p.cumulative_import_wh - previous_wh, in.base_units_per_kwh);
  if (p.cumulative_amount - previous_amount < due)
    return reject(fmt::format("amount below metered energy x tariff: pays {} for {} Wh, {} due at {} per kWh",
                              eth::to_decimal(p.cumulative_amount - previous_amount),
                              eth::to_decimal(p.cumulative_import_wh - previous_wh), eth::to_decimal(due),
                              eth::to_decimal(in.base_units_per_kwh)));
  return {ProofVerdict::accepted, {}};
}

}  // namespace hepek::ergon
