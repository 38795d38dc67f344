#include "member_service.hpp"

#include <fmt/format.h>

#include "crash_points.hpp"
#include "hepek/eth/key_file.hpp"
#include "pricing.hpp"
#include "proof_verifier.hpp"

namespace hepek::ergon {

MemberService::MemberService(MemberConfig config, std::function<std::uint64_t()> virtual_now_s)
    : config_(std::move(config)),
      virtual_now_s_(std::move(virtual_now_s)),
      store_(std::make_unique<MemberStore>(config_.data_dir + "/member.db")) {
  owner_key_ = eth::load_or_create_key_file(config_.data_dir + "/owner.key", "owner key");
  owner_ = ChainAccount::from_key(*owner_key_);
  if (const std::string recorded = store_->meta("contracts"); !recorded.empty()) {
    const auto json = nlohmann::json::parse(recorded);
    set_contracts(ContractAddresses::from_json(json),
                  eth::Address::parse(json.at("operator").get<std::string>()));
  }
}

void MemberService::set_contracts(const ContractAddresses& contracts, const eth::Address& operator_address) {
  nlohmann::json record = contracts.to_json();
  record["operator"] = operator_address.checksummed();
  const std::string recorded = store_->meta("contracts");
  if (!recorded.empty() && nlohmann::json::parse(recorded) != record && !store_->meta("channel_id").empty())
    throw ChainError("operator announced other contracts (" + record.dump() + ") while channel " +
                     store_->meta("channel_id") + " on " + recorded + " is open; refusing to switch");
  store_->set_meta("contracts", record.dump());
  if (chain_ && chain_->contracts().channel == contracts.channel && operator_ == operator_address) return;
  operator_ = operator_address;
  chain_ = std::make_unique<ErgonChain>(config_.rpc_url, contracts);
  if (virtual_now_s_) chain_->set_virtual_clock(virtual_now_s_);
}

std::string MemberService::set_tariff(const SignedTariff& tariff) {
  if (!chain_) return "tariff before contracts";
  if (std::string error = tariff.verify(operator_); !error.empty()) return error;
  if (tariff.chain_id != chain_->chain_id() || tariff.channel != chain_->contracts().channel)
    return "tariff is for another chain or channel contract";
  if (tariff.device != "*" && tariff.device != config_.device_id)
    return "tariff is for device " + tariff.device;
  tariff_ = tariff;
  return {};
}

std::string MemberService::register_device() {
  if (!chain_) return "waiting for contracts";
  const eth::Address registered = chain_->device_of(config_.device_id);
  if (registered.is_zero()) return "not manufactured";
  if (registered != config_.device)
    return fmt::format("device id registered to another key {} (ours is {})", registered.checksummed(),
                       config_.device.checksummed());
  const eth::Address owner = chain_->owner_of(config_.device);
  if (owner.is_zero()) {
    chain_->claim(owner_, config_.device_id);
    return "claimed";
  }
  if (owner != owner_.address) return "claimed by another owner " + owner.checksummed();
  return chain_->is_active(config_.device) ? "claimed" : "deactivated";
}

eth::uint256 MemberService::token_balance() {
  return chain_->balance_of(config_.device);
}

std::optional<eth::Bytes32> MemberService::channel_id() {
  const std::string text = store_->meta("channel_id");
  if (text.empty()) return std::nullopt;
  return eth::bytes32_from_hex(text);
}

void MemberService::open_channel(const eth::uint256& deposit, const eth::uint256& meter_import_wh) {
  if (channel_id()) throw ChainError("a channel is already open: " + store_->meta("channel_id"));
  const eth::Bytes32 id = chain_->next_channel_id(config_.device);
  const eth::Receipt receipt = chain_->open_with_permit(device_account(), deposit);
  store_->record_channel_tx("open", receipt);
  store_->set_meta("channel_id", eth::to_hex(id));
  store_->set_meta("deposit", eth::to_decimal(deposit));
  store_->set_meta("baseline_meter_wh", eth::to_decimal(meter_import_wh));
  store_->set_meta("billed_meter_wh", eth::to_decimal(meter_import_wh));
}

void MemberService::top_up(const eth::uint256& amount) {
  const auto id = channel_id();
  if (!id) throw ChainError("no open channel to top up");
  const eth::Receipt receipt = chain_->top_up_with_permit(device_account(), *id, amount);
  store_->record_channel_tx("top-up", receipt);
  store_->set_meta("deposit", eth::to_decimal(chain_->get_channel(*id).deposit));
}

SignedProof MemberService::sign_proof(const eth::BalanceProof& proof) {
  const eth::Bytes32 digest = proof_digest(proof, chain_->chain_id(), chain_->contracts().channel);
  const eth::Signature signature = config_.proof_signer(digest);
  const auto bytes = signature.to_bytes_v27();
  ++proofs_signed_;
  return {proof, eth::Bytes(bytes.begin(), bytes.end())};
}

std::optional<SignedProof> MemberService::bill_cycle(const eth::uint256& meter_import_wh,
                                                     std::int64_t now_ms) {
  const auto id = channel_id();
  if (!id || !tariff_) return std::nullopt;
  const eth::uint256 billed = eth::parse_uint256(store_->meta("billed_meter_wh", "0"));
  if (meter_import_wh < billed)
    throw std::invalid_argument(
        fmt::format("meter import {} Wh is below the billed reading {} Wh (meter replaced?)",
                    eth::to_decimal(meter_import_wh), eth::to_decimal(billed)));
  const auto latest = store_->latest(*id);
  const eth::uint256 spent = latest ? latest->signed_proof.proof.cumulative_amount : eth::uint256(0);
  const eth::uint256 previous_wh = latest ? latest->signed_proof.proof.cumulative_import_wh : eth::uint256(0);
  const eth::uint256 deposit = eth::parse_uint256(store_->meta("deposit", "0"));
  const eth::uint256& rate = tariff_->base_units_per_kwh;
  eth::uint256 wh = meter_import_wh - billed;
  eth::uint256 price = price_of_energy(wh, rate);
  if (price > deposit - spent) {  // bill only what the deposit can pay; the rest waits for a top-up
    wh = rate == 0 ? wh : (deposit - spent) * 1000 / rate;
    price = price_of_energy(wh, rate);
  }
  if (wh == 0) return std::nullopt;  // nothing new to pay for: no proof
  const std::uint64_t cycle = (latest ? latest->signed_proof.proof.cycle : 0) + 1;
  eth::BalanceProof proof{*id, spent + price, previous_wh + wh, cycle};
  const SignedProof signed_proof = sign_proof(proof);
  crash_point("member.before_store");
  store_->save_signed(signed_proof, eth::to_decimal(billed + wh), now_ms);
  return signed_proof;
}

std::optional<SignedProof> MemberService::pending() {
  const auto id = channel_id();
  if (!id) return std::nullopt;
  const auto latest = store_->latest(*id);
  if (!latest || latest->acked) return std::nullopt;
  return latest->signed_proof;
}

void MemberService::on_ack(const eth::Bytes32& channel_id, std::uint64_t cycle) {
  store_->mark_acked(channel_id, cycle);
}

eth::Receipt MemberService::request_close(const std::optional<SignedProof>& proof) {
  const auto id = channel_id();
  if (!id) throw ChainError("no open channel to close");
  SignedProof claim;
  claim.proof.channel_id = *id;
  if (proof) {
    claim = *proof;
  } else if (const auto latest = store_->latest(*id)) {
    claim = latest->signed_proof;
  }
  const eth::Receipt receipt = chain_->request_close(device_account(), claim);
  store_->record_channel_tx("close", receipt);
  return receipt;
}

void MemberService::forget_channel() {
  store_->set_meta("closed_channel_id", store_->meta("channel_id"));
  store_->set_meta("channel_id", "");
}

WalletState MemberService::state() {
  WalletState s;
  if (!chain_) {
    s.registration = "waiting for contracts";
    return s;
  }
  s.token_balance = token_balance();
  if (const auto id = channel_id()) {
    s.channel_id = eth::to_hex(*id);
    s.deposit = eth::parse_uint256(store_->meta("deposit", "0"));
    s.last_proof = store_->latest(*id);
    if (s.last_proof) {
      s.spent = s.last_proof->signed_proof.proof.cumulative_amount;
      s.cycle = s.last_proof->signed_proof.proof.cycle;
    }
    s.remaining = s.deposit - s.spent;
  }
  return s;
}

}  // namespace hepek::ergon
