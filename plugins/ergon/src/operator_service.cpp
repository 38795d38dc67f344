#include "operator_service.hpp"

#include <chrono>

#include <fmt/format.h>

#include "crash_points.hpp"
#include "hepek/eth/key_file.hpp"

namespace hepek::ergon {

OperatorService::OperatorService(OperatorConfig config, std::function<std::uint64_t()> virtual_now_s)
    : config_(std::move(config)),
      key_(eth::load_or_create_key_file(
          config_.key_file.empty() ? config_.data_dir + "/operator.key" : config_.key_file, "operator key")),
      account_(ChainAccount::from_key(key_)),
      store_(std::make_unique<OperatorStore>(config_.data_dir + "/operator.db")) {
  eth::RpcClient rpc(config_.rpc_url, std::chrono::seconds(20));
  genesis_hash_ = rpc.block_hash(0);
  ContractAddresses contracts;
  if (config_.contracts) {
    contracts = *config_.contracts;
  } else if (const std::string recorded = store_->meta("contracts"); !recorded.empty()) {
    const std::string recorded_genesis = store_->meta("genesis_hash");
    if (recorded_genesis != genesis_hash_)
      throw ChainError(
          fmt::format("the chain at {} was reset: genesis {} differs from the recorded {} of the "
                      "deployment in {}/operator.db; move that database away to deploy afresh",
                      config_.rpc_url, genesis_hash_, recorded_genesis, config_.data_dir));
    contracts = ContractAddresses::from_json(nlohmann::json::parse(recorded));
  } else {
    if (config_.test_chain) rpc.set_balance(account_.address, eth::parse_units("1000", 18));
    if (virtual_now_s) {
      // Simulation: deploy at the virtual time too, so later blocks never go back.
      const auto block = rpc.call("eth_getBlockByNumber", {"latest", false});
      const auto latest = static_cast<std::uint64_t>(eth::parse_quantity(block.at("timestamp"), "timestamp"));
      rpc.set_next_block_timestamp(std::max(virtual_now_s(), latest + 1));
    }
    contracts =
        ErgonChain::deploy(rpc, key_, config_.artifacts_dir, config_.challenge_period_s, &deployment_gas_);
    store_->set_meta("contracts", contracts.to_json().dump());
    store_->set_meta("genesis_hash", genesis_hash_);
    store_->set_meta("deployment_gas", std::to_string(deployment_gas_));
  }
  chain_ = std::make_unique<ErgonChain>(config_.rpc_url, contracts);
  now_s_ = virtual_now_s ? virtual_now_s : [] {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
  };
  if (virtual_now_s) chain_->set_virtual_clock(std::move(virtual_now_s));
  watched_from_block_ = std::stoull(store_->meta("watched_from_block", "0"));
}

nlohmann::json OperatorService::contracts_message() {
  nlohmann::json message = chain_->contracts().to_json();
  message["chain_id"] = chain_->chain_id();
  message["operator"] = account_.address.checksummed();
  message["genesis_hash"] = genesis_hash_;
  return message;
}

SignedTariff OperatorService::tariff(std::int64_t valid_from_ms, const std::string& device) {
  SignedTariff tariff;
  tariff.chain_id = chain_->chain_id();
  tariff.channel = chain_->contracts().channel;
  tariff.device = device;
  tariff.base_units_per_kwh = config_.base_units_per_kwh;
  tariff.valid_from_ms = valid_from_ms;
  tariff.sign(key_);
  return tariff;
}

void OperatorService::fund(const eth::Address& account) {
  if (!config_.test_chain) return;
  if (chain_->rpc().balance(account) < eth::parse_units("1", 18))
    chain_->rpc().set_balance(account, eth::parse_units("10", 18));
}

eth::Receipt OperatorService::manufacture(const std::string& device_id, const eth::Address& device,
                                          const std::optional<eth::Address>& owner) {
  if (device_id.empty()) throw std::invalid_argument("--device-id is empty");
  if (device.is_zero()) throw std::invalid_argument("--address is the zero address");
  const eth::Receipt receipt = chain_->manufacture(account_, device_id, device);
  fund(device);
  if (owner) fund(*owner);
  return receipt;
}

PaymentRecord OperatorService::buy(const std::string& request_id, const std::string& device_id,
                                   const eth::uint256& amount, const PaymentMethod& method) {
  if (request_id.empty()) throw std::invalid_argument("buy: request id is empty");
  if (auto existing = store_->payment(request_id)) {
    if (existing->status == "approved") {  // crashed between the record and the mint: finish it
      const auto receipt =
          chain_->mint(account_, eth::Address::parse(existing->to), eth::parse_uint256(existing->amount));
      store_->mark_minted(request_id, eth::to_hex(receipt.transaction_hash));
      return *store_->payment(request_id);
    }
    return *existing;
  }
  const eth::Address device = chain_->device_of(device_id);
  PaymentRecord record{request_id, device_id, device.checksummed(), eth::to_decimal(amount), "", "", "", ""};
  const PaymentDecision decision = charge(method);
  record.method = decision.reference;
  if (amount == 0) {
    record.status = "declined";
    record.reason = "amount must be positive";
  } else if (device.is_zero()) {
    record.status = "declined";
    record.reason = "device id \"" + device_id + "\" is not registered";
  } else if (!decision.approved) {
    record.status = "declined";
    record.reason = decision.reason;
  } else {
    record.status = "approved";
  }
  store_->insert_payment(record);  // durable before any token exists
  if (record.status != "approved") return record;
  const auto receipt = chain_->mint(account_, device, amount);
  store_->mark_minted(request_id, eth::to_hex(receipt.transaction_hash));
  return *store_->payment(request_id);
}

ProofCheck OperatorService::handle_proof(const std::string& device_id, const SignedProof& proof,
                                         std::int64_t now_ms) {
  ProofCheckInput input;
  input.proof = proof;
  input.chain_id = chain_->chain_id();
  input.channel_contract = chain_->contracts().channel;
  input.registered_device = chain_->device_of(device_id);
  if (!input.registered_device.is_zero()) {
    input.owner = chain_->owner_of(input.registered_device);
    input.active = chain_->is_active(input.registered_device);
    input.open_channel = chain_->open_channel_of(input.registered_device);
  }
  input.channel = chain_->get_channel(proof.proof.channel_id);
  input.previous = store_->latest_proof(proof.proof.channel_id);
  input.base_units_per_kwh = config_.base_units_per_kwh;
  ProofCheck check = check_proof(input);
  if (check.verdict == ProofVerdict::accepted) {
    crash_point("operator.before_store");
    store_->accept_proof(device_id, proof, now_ms);
    crash_point("operator.after_store");
  }
  return check;
}

std::optional<ClosedEvent> OperatorService::close_channel(const eth::Bytes32& channel_id) {
  SignedProof latest;
  latest.proof.channel_id = channel_id;
  if (auto stored = store_->latest_proof(channel_id)) {
    latest.proof.cumulative_amount = stored->cumulative_amount;
    latest.proof.cumulative_import_wh = stored->cumulative_import_wh;
    latest.proof.cycle = stored->cycle;
    latest.signature = stored->signature;
  }
  const eth::Receipt receipt = chain_->close(account_, latest);
  store_->set_channel_status(channel_id, "closed");
  return chain_->closed_event(receipt);
}

std::vector<std::string> OperatorService::watch_closes() {
  std::vector<std::string> actions;
  for (const auto& request : chain_->close_requests(watched_from_block_)) {
    const ChannelInfo info = chain_->get_channel(request.channel_id);
    if (info.state != 2) continue;  // already challenged to closed, or settled
    const auto stored = store_->latest_proof(request.channel_id);
    if (stored && stored->cumulative_amount > info.claimed_amount) {
      SignedProof proof{
          {request.channel_id, stored->cumulative_amount, stored->cumulative_import_wh, stored->cycle},
          stored->signature};
      chain_->challenge(account_, proof);
      actions.push_back(fmt::format("challenged close of {}: device claimed {}, latest proof {}",
                                    eth::to_hex(request.channel_id), eth::to_decimal(info.claimed_amount),
                                    eth::to_decimal(stored->cumulative_amount)));
    }
  }
  // Settle closes whose window is over (anyone may; the operator does it so the refund is not left hanging).
  for (const auto& request : chain_->close_requests(watched_from_block_)) {
    const ChannelInfo info = chain_->get_channel(request.channel_id);
    // The next block's time: the chain's latest, or now when the node has not mined since (anvil mines on
    // demand).
    const std::uint64_t next_block_s = std::max(chain_->latest_block_timestamp() + 1, now_s_());
    if (info.state == 2 && next_block_s >= info.closes_at) {
      chain_->settle(account_, request.channel_id);
      store_->set_channel_status(request.channel_id, "closed");
      actions.push_back("settled " + eth::to_hex(request.channel_id));
    }
  }
  return actions;
}

}  // namespace hepek::ergon
