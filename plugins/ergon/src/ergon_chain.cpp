#include "ergon_chain.hpp"

#include <fstream>
#include <regex>

#include <fmt/format.h>

#include "hepek/eth/keccak.hpp"

namespace hepek::ergon {
namespace {

using eth::AbiValue;

// Custom errors of the three contracts and the OpenZeppelin code they use.
const std::vector<std::string> kContractErrors = {"AccessControlUnauthorizedAccount(address,bytes32)",
                                                  "AmountAboveDeposit(uint256,uint256)",
                                                  "AmountNotIncreasing(uint256,uint256)",
                                                  "ChallengeWindowOver(uint64,uint256)",
                                                  "ChallengeWindowRunning(uint64,uint256)",
                                                  "ChannelAlreadyOpen(address,bytes32)",
                                                  "ChannelNotClosing(bytes32,uint8)",
                                                  "ChannelNotOpen(bytes32,uint8)",
                                                  "DeviceAlreadyActive(string)",
                                                  "DeviceAlreadyClaimed(string,address)",
                                                  "DeviceIdAlreadyRegistered(string)",
                                                  "DeviceIdTooLong(uint256,uint256)",
                                                  "DeviceInactive(string)",
                                                  "DeviceKeyAlreadyRegistered(address)",
                                                  "DeviceNotActive(address)",
                                                  "ECDSAInvalidSignature()",
                                                  "ECDSAInvalidSignatureLength(uint256)",
                                                  "ECDSAInvalidSignatureS(bytes32)",
                                                  "ERC20InsufficientAllowance(address,uint256,uint256)",
                                                  "ERC20InsufficientBalance(address,uint256,uint256)",
                                                  "ERC2612ExpiredSignature(uint256)",
                                                  "ERC2612InvalidSigner(address,address)",
                                                  "EmptyDeviceId()",
                                                  "InvalidAccountNonce(address,uint256)",
                                                  "NotChannelDevice(address,address)",
                                                  "NotOperator(address)",
                                                  "ProofSignerNotDevice(address,address)",
                                                  "UnknownChannel(bytes32)",
                                                  "UnknownDeviceId(string)",
                                                  "ZeroAddress()",
                                                  "ZeroAmount()",
                                                  "ZeroChallengePeriod()",
                                                  "ZeroDeviceAddress()",
                                                  "ZeroProofWithData()"};

std::string format_value(const eth::AbiType& type, const AbiValue& value) {
  switch (type.kind) {
    case eth::AbiType::Kind::uint:
      return eth::to_decimal(value.as_uint());
    case eth::AbiType::Kind::address:
      return value.as_address().checksummed();
    case eth::AbiType::Kind::string:
      return "\"" + value.as_string() + "\"";
    case eth::AbiType::Kind::boolean:
      return value.as_bool() ? "true" : "false";
    default:
      return eth::to_hex(value.as_bytes());
  }
}

std::string decode_error(const eth::Bytes& data) {
  if (data.size() < 4) return {};
  for (const auto& signature : kContractErrors) {
    const auto selector = eth::function_selector(signature);
    if (!std::equal(selector.begin(), selector.end(), data.begin())) continue;
    const auto parsed = eth::AbiSignature::parse(signature);
    try {
      const auto values = eth::abi_decode(parsed.inputs, eth::ByteView(data).subspan(4));
      std::string out = parsed.name + "(";
      for (std::size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + format_value(parsed.inputs[i], values[i]);
      return out + ")";
    } catch (const std::exception&) {
      return parsed.name + "(…)";
    }
  }
  return {};
}

nlohmann::json load_artifact(const std::string& directory, const std::string& name) {
  const std::string path = directory + "/" + name + ".json";
  std::ifstream in(path);
  if (!in) throw ChainError("contract artifact " + path + " is missing (build the ergon_contracts target)");
  return nlohmann::json::parse(in);
}

eth::Address deploy_one(eth::RpcClient& rpc, const eth::PrivateKey& key, const nlohmann::json& artifact,
                        const std::string& constructor, const std::vector<AbiValue>& args,
                        std::uint64_t* gas) {
  eth::TransactionRequest request;
  request.data = eth::from_hex(artifact.at("bytecode").get<std::string>(), "bytecode");
  const eth::Bytes encoded = eth::abi_encode(eth::AbiType::parse_list(constructor), args);
  request.data.insert(request.data.end(), encoded.begin(), encoded.end());
  const auto sent = eth::send_transaction(rpc, key, request);
  if (!sent.receipt.contract_address) throw ChainError("deployment receipt has no contract address");
  if (gas) *gas += sent.receipt.gas_used;
  return *sent.receipt.contract_address;
}

}  // namespace

std::string explain_revert(const std::string& message) {
  static const std::regex hex_data("0x([0-9a-fA-F]{8,})");
  for (std::sregex_iterator it(message.begin(), message.end(), hex_data), end; it != end; ++it) {
    const std::string decoded = decode_error(eth::from_hex((*it)[0].str()));
    if (!decoded.empty()) return "reverted: " + decoded + " [" + message + "]";
  }
  return message;
}

nlohmann::json ContractAddresses::to_json() const {
  return {{"registry", registry.checksummed()},
          {"token", token.checksummed()},
          {"channel", channel.checksummed()}};
}

ContractAddresses ContractAddresses::from_json(const nlohmann::json& json) {
  ContractAddresses out;
  for (const char* key : {"registry", "token", "channel"})
    if (!json.is_object() || !json.contains(key) || !json[key].is_string())
      throw std::invalid_argument(std::string("contract addresses: \"") + key + "\" missing or not a string");
  out.registry = eth::Address::parse(json["registry"].get<std::string>(), "contracts.registry");
  out.token = eth::Address::parse(json["token"].get<std::string>(), "contracts.token");
  out.channel = eth::Address::parse(json["channel"].get<std::string>(), "contracts.channel");
  return out;
}

ChainAccount ChainAccount::from_key(const eth::PrivateKey& key) {
  return {key.address(), [key](const eth::Bytes32& digest) { return key.sign(digest); }};
}

ErgonChain::ErgonChain(std::string url, ContractAddresses contracts)
    : rpc_(url, std::chrono::seconds(20)), contracts_(contracts) {}

ContractAddresses ErgonChain::deploy(eth::RpcClient& rpc, const eth::PrivateKey& operator_key,
                                     const std::string& artifacts_dir, std::uint64_t challenge_period_s,
                                     std::uint64_t* gas_used) {
  const eth::Address op = operator_key.address();
  ContractAddresses out;
  out.registry = deploy_one(rpc, operator_key, load_artifact(artifacts_dir, "Registry"), "address,address",
                            {AbiValue::address(op), AbiValue::address(op)}, gas_used);
  out.token = deploy_one(rpc, operator_key, load_artifact(artifacts_dir, "ErgonToken"), "address,address",
                         {AbiValue::address(op), AbiValue::address(op)}, gas_used);
  out.channel = deploy_one(rpc, operator_key, load_artifact(artifacts_dir, "PaymentChannel"),
                           "address,address,address,uint64",
                           {AbiValue::address(out.token), AbiValue::address(out.registry),
                            AbiValue::address(op), AbiValue::uint(challenge_period_s)},
                           gas_used);
  return out;
}

std::uint64_t ErgonChain::chain_id() {
  if (!chain_id_) chain_id_ = rpc_.chain_id();
  return *chain_id_;
}

std::uint64_t ErgonChain::latest_block_timestamp() {
  const auto block = rpc_.call("eth_getBlockByNumber", {"latest", false});
  return static_cast<std::uint64_t>(eth::parse_quantity(block.at("timestamp"), "block.timestamp"));
}

eth::Receipt ErgonChain::send(const char* what, const ChainAccount& from, const eth::Address& to,
                              eth::Bytes data) {
  try {
    if (virtual_now_s_) {
      const std::uint64_t at = std::max(virtual_now_s_(), latest_block_timestamp() + 1);
      rpc_.set_next_block_timestamp(at);
    }
    eth::TransactionRequest request;
    request.to = to;
    request.data = std::move(data);
    const auto sent =
        eth::send_transaction(rpc_, from.address, from.signer, request, std::chrono::seconds(30));
    gas_used_ += sent.receipt.gas_used;
    return sent.receipt;
  } catch (const eth::RpcError& error) {
    throw ChainError(std::string(what) + ": " + explain_revert(error.what()));
  }
}

std::vector<AbiValue> ErgonChain::view(const eth::Address& to, const std::string& signature,
                                       const std::vector<AbiValue>& args, const std::string& returns) {
  eth::CallRequest request;
  request.to = to;
  request.data = eth::encode_call(signature, args);
  try {
    return eth::abi_decode(eth::AbiType::parse_list(returns), rpc_.eth_call(request));
  } catch (const eth::RpcError& error) {
    throw ChainError(signature + ": " + explain_revert(error.what()));
  }
}

eth::Receipt ErgonChain::manufacture(const ChainAccount& op, const std::string& device_id,
                                     const eth::Address& device) {
  return send("manufacture", op, contracts_.registry,
              eth::encode_call("manufacture(string,address)",
                               {AbiValue::string(device_id), AbiValue::address(device)}));
}

eth::Receipt ErgonChain::claim(const ChainAccount& owner, const std::string& device_id) {
  return send("claim", owner, contracts_.registry,
              eth::encode_call("claim(string)", {AbiValue::string(device_id)}));
}

eth::Receipt ErgonChain::deactivate(const ChainAccount& op, const std::string& device_id) {
  return send("deactivate", op, contracts_.registry,
              eth::encode_call("deactivate(string)", {AbiValue::string(device_id)}));
}

eth::Address ErgonChain::device_of(const std::string& device_id) {
  return view(contracts_.registry, "deviceOf(string)", {AbiValue::string(device_id)}, "address")[0]
      .as_address();
}

eth::Address ErgonChain::owner_of(const eth::Address& device) {
  return view(contracts_.registry, "ownerOf(address)", {AbiValue::address(device)}, "address")[0]
      .as_address();
}

bool ErgonChain::is_active(const eth::Address& device) {
  return view(contracts_.registry, "isActive(address)", {AbiValue::address(device)}, "bool")[0].as_bool();
}

eth::Receipt ErgonChain::mint(const ChainAccount& minter, const eth::Address& to,
                              const eth::uint256& amount) {
  return send("mint", minter, contracts_.token,
              eth::encode_call("mint(address,uint256)", {AbiValue::address(to), AbiValue::uint(amount)}));
}

eth::uint256 ErgonChain::balance_of(const eth::Address& account) {
  return view(contracts_.token, "balanceOf(address)", {AbiValue::address(account)}, "uint256")[0].as_uint();
}

eth::Bytes32 ErgonChain::channel_domain_separator() {
  return view(contracts_.channel, "domainSeparator()", {}, "bytes32")[0].as_bytes32();
}

eth::Bytes32 ErgonChain::open_channel_of(const eth::Address& device) {
  return view(contracts_.channel, "openChannelOf(address)", {AbiValue::address(device)}, "bytes32")[0]
      .as_bytes32();
}

eth::Bytes32 ErgonChain::next_channel_id(const eth::Address& device) {
  const auto nonce =
      view(contracts_.channel, "channelNonce(address)", {AbiValue::address(device)}, "uint256")[0];
  return view(contracts_.channel, "channelIdFor(address,uint256)", {AbiValue::address(device), nonce},
              "bytes32")[0]
      .as_bytes32();
}

ChannelInfo ErgonChain::get_channel(const eth::Bytes32& channel_id) {
  const auto values = view(contracts_.channel, "getChannel(bytes32)", {AbiValue::bytes32(channel_id)},
                           "address,uint8,uint64,uint256,uint256,uint256,uint64");
  ChannelInfo info;
  info.device = values[0].as_address();
  info.state = static_cast<int>(values[1].as_uint64());
  info.closes_at = values[2].as_uint64();
  info.deposit = values[3].as_uint();
  info.claimed_amount = values[4].as_uint();
  info.claimed_import_wh = values[5].as_uint();
  info.claimed_cycle = values[6].as_uint64();
  return info;
}

eth::Signature ErgonChain::sign_permit(const ChainAccount& device, const eth::uint256& value,
                                       const eth::uint256& deadline) {
  const eth::Bytes32 separator = view(contracts_.token, "DOMAIN_SEPARATOR()", {}, "bytes32")[0].as_bytes32();
  eth::Permit permit;
  permit.owner = device.address;
  permit.spender = contracts_.channel;
  permit.value = value;
  permit.nonce =
      view(contracts_.token, "nonces(address)", {AbiValue::address(device.address)}, "uint256")[0].as_uint();
  permit.deadline = deadline;
  return device.signer(permit.digest(separator));
}

eth::Receipt ErgonChain::open_with_permit(const ChainAccount& device, const eth::uint256& deposit) {
  const eth::uint256 deadline = latest_block_timestamp() + 3600 * 24 * 365;
  const eth::Signature sig = sign_permit(device, deposit, deadline);
  return send(
      "openWithPermit", device, contracts_.channel,
      eth::encode_call("openWithPermit(uint256,uint256,uint8,bytes32,bytes32)",
                       {AbiValue::uint(deposit), AbiValue::uint(deadline), AbiValue::uint(sig.v + 27u),
                        AbiValue::bytes32(sig.r), AbiValue::bytes32(sig.s)}));
}

eth::Receipt ErgonChain::top_up_with_permit(const ChainAccount& device, const eth::Bytes32& channel_id,
                                            const eth::uint256& amount) {
  const eth::uint256 deadline = latest_block_timestamp() + 3600 * 24 * 365;
  const eth::Signature sig = sign_permit(device, amount, deadline);
  return send(
      "topUpWithPermit", device, contracts_.channel,
      eth::encode_call("topUpWithPermit(bytes32,uint256,uint256,uint8,bytes32,bytes32)",
                       {AbiValue::bytes32(channel_id), AbiValue::uint(amount), AbiValue::uint(deadline),
                        AbiValue::uint(sig.v + 27u), AbiValue::bytes32(sig.r), AbiValue::bytes32(sig.s)}));
}

eth::Receipt ErgonChain::send_proof(const char* function, const ChainAccount& from, const SignedProof& p) {
  const std::string signature = std::string(function) + "(bytes32,uint256,uint256,uint64,bytes)";
  return send(function, from, contracts_.channel,
              eth::encode_call(signature, {AbiValue::bytes32(p.proof.channel_id),
                                           AbiValue::uint(p.proof.cumulative_amount),
                                           AbiValue::uint(p.proof.cumulative_import_wh),
                                           AbiValue::uint(p.proof.cycle), AbiValue::bytes(p.signature)}));
}

eth::Receipt ErgonChain::close(const ChainAccount& op, const SignedProof& proof) {
  return send_proof("close", op, proof);
}
eth::Receipt ErgonChain::request_close(const ChainAccount& device, const SignedProof& proof) {
  return send_proof("requestClose", device, proof);
}
eth::Receipt ErgonChain::challenge(const ChainAccount& op, const SignedProof& proof) {
  return send_proof("challenge", op, proof);
}
eth::Receipt ErgonChain::settle(const ChainAccount& anyone, const eth::Bytes32& channel_id) {
  return send("settle", anyone, contracts_.channel,
              eth::encode_call("settle(bytes32)", {AbiValue::bytes32(channel_id)}));
}

static constexpr const char* kCloseRequested =
    "ChannelCloseRequested(bytes32 indexed channelId,address indexed device,uint256 claimedAmount,uint256 "
    "cumulativeImportWh,uint64 cycle,uint64 closesAt)";
static constexpr const char* kClosed =
    "ChannelClosed(bytes32 indexed channelId,address indexed device,uint256 paidToOperator,uint256 "
    "refundedToDevice,"
    "uint256 cumulativeImportWh,uint64 cycle,bool cooperative)";

std::vector<CloseRequest> ErgonChain::close_requests(std::uint64_t from_block) {
  eth::LogFilter filter;
  filter.address = contracts_.channel;
  filter.topics = {eth::event_topic(eth::AbiSignature::parse(kCloseRequested).canonical())};
  filter.from_block = from_block;
  std::vector<CloseRequest> out;
  for (const auto& log : rpc_.get_logs(filter)) {
    const auto values = eth::decode_log(kCloseRequested, log);
    out.push_back({values[0].as_bytes32(), values[1].as_address(), values[2].as_uint(), values[5].as_uint64(),
                   log.block_number});
  }
  return out;
}

std::optional<ClosedEvent> ErgonChain::closed_event(const eth::Receipt& receipt) const {
  const eth::Bytes32 topic = eth::event_topic(eth::AbiSignature::parse(kClosed).canonical());
  for (const auto& log : receipt.logs) {
    if (log.address != contracts_.channel || log.topics.empty() || log.topics[0] != topic) continue;
    const auto values = eth::decode_log(kClosed, log);
    return ClosedEvent{values[0].as_bytes32(), values[2].as_uint(), values[3].as_uint(), values[6].as_bool()};
  }
  return std::nullopt;
}

}  // namespace hepek::ergon
