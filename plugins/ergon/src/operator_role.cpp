#include "operator_role.hpp"

#include <fmt/format.h>

#include "crash_points.hpp"
#include "wire.hpp"

namespace hepek::ergon {

OperatorRole::OperatorRole(Host& host, const nlohmann::json& config) : host_(host), config_(config) {}

void OperatorRole::start() {
  const std::string endpoint = host_.chain_endpoint();
  if (endpoint.empty())
    throw std::runtime_error("ergon operator needs [chain] endpoint (\"embedded\" or a JSON-RPC URL)");
  OperatorConfig config;
  config.data_dir = host_.data_dir();
  config.rpc_url = endpoint;
  config.key_file = config_.at("key_file").get<std::string>();
  config.challenge_period_s = config_.at("challenge_period_s").get<std::uint64_t>();
  config.base_units_per_kwh =
      eth::parse_units(config_.at("tariff_per_kwh").get<std::string>(), 18, "tariff_per_kwh");
  config.test_chain = config_.at("test_chain").get<bool>();
  if (const std::string artifacts = config_.at("contracts_dir").get<std::string>(); !artifacts.empty())
    config.artifacts_dir = artifacts;
  const std::string registry = config_.at("registry").get<std::string>();
  if (!registry.empty())
    config.contracts = ContractAddresses::from_json(
        {{"registry", registry}, {"token", config_.at("token")}, {"channel", config_.at("channel")}});
  std::function<std::uint64_t()> clock;
  if (host_.is_simulation()) clock = [this] { return static_cast<std::uint64_t>(host_.now_ms() / 1000); };
  service_ = std::make_unique<OperatorService>(config, clock);
  host_.info(fmt::format("operator {} on chain {}: registry {}, token {}, channel {}",
                         service_->address().checksummed(), service_->chain().chain_id(),
                         service_->chain().contracts().registry.checksummed(),
                         service_->chain().contracts().token.checksummed(),
                         service_->chain().contracts().channel.checksummed()));
  host_.publish_json(topics::operator_broadcast("contracts"), service_->contracts_message(), 1, true);
  host_.publish_json(topics::operator_broadcast("tariff"), service_->tariff(host_.now_ms()).to_json(), 1,
                     true);
  host_.subscribe("serenity/+/+", [this](const Message& message) {
    const std::string topic(message.topic);
    const auto first = topic.find('/'), second = topic.find('/', first + 1);
    const std::string device_id = topic.substr(first + 1, second - first - 1);
    const std::string kind = topic.substr(second + 1);
    if (device_id == "broadcast") return;
    if (kind != "proof" && kind != "buy" && kind != "close" && kind != "hello" && kind != "manufacture")
      return;
    nlohmann::json body = nlohmann::json::parse(message.payload, nullptr, false);
    std::lock_guard lock(mutex_);
    on_request(device_id, kind, body);
  });
  if (!host_.is_simulation())
    host_.every(config_.at("watch_s").get<std::uint64_t>() * 1000, [this] {
      std::lock_guard lock(mutex_);
      watch();
    });
}

void OperatorRole::step(std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (now_ms - last_watch_ms_ >=
      static_cast<std::int64_t>(config_.at("watch_s").get<std::uint64_t>() * 1000)) {
    last_watch_ms_ = now_ms;
    watch();
  }
}

void OperatorRole::watch() {
  try {
    for (const auto& action : service_->watch_closes()) host_.warn(action);
  } catch (const std::exception& error) {
    host_.error(std::string("watching closes failed: ") + error.what());
  }
}

void OperatorRole::on_request(const std::string& device_id, const std::string& kind,
                              const nlohmann::json& body) {
  const std::string reply_topic =
      topics::operator_device(device_id, kind == "proof" ? "ack" : kind + "/result");
  nlohmann::json reply = {{"status", "rejected"}};
  if (body.is_object() && body.contains("request_id")) reply["request_id"] = body["request_id"];
  try {
    if (!body.is_object()) throw std::invalid_argument(kind + ": payload is not a JSON object");
    if (kind == "proof") {
      const SignedProof proof = proof_from_json(body);
      reply["channel_id"] = eth::to_hex(proof.proof.channel_id);
      reply["cycle"] = proof.proof.cycle;
      reply["cumulative_amount"] = eth::to_decimal(proof.proof.cumulative_amount);
      const ProofCheck check =
          service_->handle_proof(device_id, proof, host_.now_ms());  // stored before the ack
      if (check.verdict == ProofVerdict::rejected) {
        ++proofs_rejected_;
        reply["reason"] = check.reason;
        host_.warn(fmt::format("proof {} of {} rejected: {}", proof.proof.cycle, device_id, check.reason));
      } else {
        if (check.verdict == ProofVerdict::accepted) ++proofs_accepted_;
        reply["status"] = check.verdict == ProofVerdict::accepted ? "accepted" : "duplicate";
      }
    } else if (kind == "buy") {
      PaymentMethod method;
      if (body.contains("iban")) {
        method = {PaymentMethod::Kind::direct_debit, string_field(body, "iban", "buy")};
      } else {
        method = {PaymentMethod::Kind::card, string_field(body, "card", "buy")};
      }
      const PaymentRecord record =
          service_->buy(string_field(body, "request_id", "buy"), device_id,
                        eth::parse_uint256(string_field(body, "amount", "buy"), "buy.amount"), method);
      reply = {{"request_id", record.request_id}, {"status", record.status}, {"amount", record.amount},
               {"method", record.method},         {"reason", record.reason}, {"tx", record.tx}};
    } else if (kind == "hello") {
      // A member announcing its device key and owner account. On a test chain the owner gets gas money once
      // the device is manufactured; with auto_manufacture (simulation/sandbox) the operator records it right
      // away.
      const eth::Address device = eth::Address::parse(string_field(body, "device", "hello"), "hello.device");
      const eth::Address owner = eth::Address::parse(string_field(body, "owner", "hello"), "hello.owner");
      const eth::Address registered = service_->chain().device_of(device_id);
      if (registered.is_zero() && config_.at("auto_manufacture").get<bool>()) {
        service_->manufacture(device_id, device, owner);
        host_.info("manufactured " + device_id + " as " + device.checksummed() + " (auto_manufacture)");
      } else if (registered == device) {
        service_->fund(device);
        service_->fund(owner);
      }
      reply = {
          {"status", service_->chain().device_of(device_id).is_zero() ? "not manufactured" : "manufactured"}};
    } else if (kind == "manufacture") {
      const std::string id = string_field(body, "device_id", "manufacture");
      const eth::Address device =
          eth::Address::parse(string_field(body, "address", "manufacture"), "--address");
      std::optional<eth::Address> owner;
      if (body.contains("owner") && body["owner"].is_string() && !body["owner"].get<std::string>().empty())
        owner = eth::Address::parse(body["owner"].get<std::string>(), "--owner");
      const eth::Receipt receipt = service_->manufacture(id, device, owner);
      reply["status"] = "manufactured";
      reply["tx"] = eth::to_hex(receipt.transaction_hash);
      host_.info("manufactured " + id + " as " + device.checksummed());
    } else if (kind == "close") {
      const eth::Bytes32 channel =
          eth::bytes32_from_hex(string_field(body, "channel_id", "close"), "close.channel_id");
      const ChannelInfo info = service_->chain().get_channel(channel);
      if (info.device != service_->chain().device_of(device_id))
        throw std::invalid_argument("close: channel does not belong to device " + device_id);
      const auto closed = service_->close_channel(channel);
      reply = {{"status", "closed"},
               {"channel_id", eth::to_hex(channel)},
               {"paid", closed ? eth::to_decimal(closed->paid_to_operator) : "0"},
               {"refunded", closed ? eth::to_decimal(closed->refunded_to_device) : "0"}};
    }
  } catch (const std::exception& error) {
    reply["status"] = "rejected";
    reply["reason"] = error.what();
    host_.warn(fmt::format("{} request from {} failed: {}", kind, device_id, error.what()));
  }
  host_.publish_json(reply_topic, reply);
  if (kind == "proof") crash_point("operator.after_ack");
}

nlohmann::json OperatorRole::summary() {
  if (!service_) return nullptr;
  return {{"chain",
           {{"operator_gas_used", service_->chain().gas_used() + service_->deployment_gas()},
            {"proofs_accepted", proofs_accepted_},
            {"proofs_rejected", proofs_rejected_},
            {"operator_receipts", eth::to_decimal(service_->chain().balance_of(service_->address()))}}}};
}

}  // namespace hepek::ergon
