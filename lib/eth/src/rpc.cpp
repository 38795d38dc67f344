#include "hepek/eth/rpc.hpp"

#include <algorithm>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>

namespace hepek::eth {

namespace {

// Runs a parsing step and turns any library or validation exception into an RpcError that names the method.
template <typename Function>
auto guarded(const std::string& what, Function&& function) -> decltype(function()) {
  try {
    return function();
  } catch (const RpcError&) {
    throw;
  } catch (const std::exception& error) {
    throw RpcError(fmt::format("{}: malformed response: {}", what, error.what()));
  }
}

const nlohmann::json& member(const nlohmann::json& object, const char* key, const std::string& context) {
  if (!object.is_object() || !object.contains(key))
    throw RpcError(fmt::format("{}: response lacks \"{}\"", context, key));
  return object.at(key);
}

std::string as_string(const nlohmann::json& value, const std::string& field) {
  if (!value.is_string()) throw RpcError(fmt::format("{}: expected a string, got {}", field, value.dump()));
  return value.get<std::string>();
}

Bytes32 as_hash(const nlohmann::json& value, const std::string& field) {
  return bytes32_from_hex(as_string(value, field), field);
}

std::uint64_t as_u64(const nlohmann::json& value, const std::string& field) {
  const uint256 number = parse_quantity(value, field);
  if (number > std::numeric_limits<std::uint64_t>::max())
    throw RpcError(fmt::format("{}: {} does not fit in 64 bits", field, to_decimal(number)));
  return static_cast<std::uint64_t>(number);
}

uint256 median(std::vector<uint256> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

const uint256 kOneGwei = 1'000'000'000;

}  // namespace

uint256 parse_quantity(const nlohmann::json& value, const std::string& field) {
  const std::string text = as_string(value, field);
  if (text.size() < 3 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
    throw RpcError(fmt::format("{}: '{}' is not a 0x quantity", field, text));
  try {
    return parse_uint256(text, field);
  } catch (const std::invalid_argument& error) {
    throw RpcError(error.what());
  }
}

Log parse_log(const nlohmann::json& json) {
  return guarded("log", [&] {
    Log log;
    log.address = Address::parse(as_string(member(json, "address", "log"), "log.address"), "log.address");
    const auto& topics = member(json, "topics", "log");
    if (!topics.is_array()) throw RpcError("log.topics: expected an array");
    for (const auto& topic : topics) log.topics.push_back(as_hash(topic, "log.topics[]"));
    log.data = from_hex(as_string(member(json, "data", "log"), "log.data"), "log.data");
    if (json.contains("blockNumber") && !json["blockNumber"].is_null())
      log.block_number = as_u64(json["blockNumber"], "log.blockNumber");
    if (json.contains("transactionHash") && !json["transactionHash"].is_null())
      log.transaction_hash = as_hash(json["transactionHash"], "log.transactionHash");
    if (json.contains("logIndex") && !json["logIndex"].is_null())
      log.log_index = as_u64(json["logIndex"], "log.logIndex");
    return log;
  });
}

Receipt parse_receipt(const nlohmann::json& json) {
  return guarded("receipt", [&] {
    Receipt receipt;
    receipt.transaction_hash = as_hash(member(json, "transactionHash", "receipt"), "receipt.transactionHash");
    receipt.block_number = as_u64(member(json, "blockNumber", "receipt"), "receipt.blockNumber");
    const uint256 status = parse_quantity(member(json, "status", "receipt"), "receipt.status");
    if (status > 1) throw RpcError(fmt::format("receipt.status: {} is neither 0 nor 1", to_decimal(status)));
    receipt.status = status == 1;
    receipt.gas_used = as_u64(member(json, "gasUsed", "receipt"), "receipt.gasUsed");
    if (json.contains("effectiveGasPrice") && !json["effectiveGasPrice"].is_null())
      receipt.effective_gas_price = parse_quantity(json["effectiveGasPrice"], "receipt.effectiveGasPrice");
    if (json.contains("contractAddress") && !json["contractAddress"].is_null())
      receipt.contract_address = Address::parse(as_string(json["contractAddress"], "receipt.contractAddress"),
                                                "receipt.contractAddress");
    if (json.contains("logs")) {
      if (!json["logs"].is_array()) throw RpcError("receipt.logs: expected an array");
      for (const auto& log : json["logs"]) receipt.logs.push_back(parse_log(log));
    }
    return receipt;
  });
}

nlohmann::json rpc_result(const std::string& method, const std::string& url, int status,
                          const std::string& body_text) {
  const nlohmann::json body = nlohmann::json::parse(body_text, nullptr, /*allow_exceptions=*/false);
  if (body.is_object() && body.contains("error") && !body["error"].is_null()) {
    const auto& error = body["error"];
    std::string message = error.is_object() && error.contains("message") && error["message"].is_string()
                              ? error["message"].get<std::string>()
                              : error.dump();
    const int code = error.is_object() && error.contains("code") && error["code"].is_number_integer()
                         ? error["code"].get<int>()
                         : 0;
    if (error.is_object() && error.contains("data") && !error["data"].is_null())
      message += fmt::format(" (data: {})", error["data"].dump());
    throw RpcError(fmt::format("{}: node error {}: {}", method, code, message), code);
  }
  if (status != 200)
    throw RpcError(
        fmt::format("{} to {}: HTTP status {}: {}", method, url, status, body_text.substr(0, 200)));
  if (body.is_discarded())
    throw RpcError(fmt::format("{}: response is not JSON: {}", method, body_text.substr(0, 200)));
  if (!body.is_object() || !body.contains("result"))
    throw RpcError(fmt::format("{}: response has no result: {}", method, body.dump().substr(0, 200)));
  return body["result"];
}

nlohmann::json call_request_to_json(const CallRequest& request) {
  nlohmann::json json = nlohmann::json::object();
  if (request.from) json["from"] = request.from->lower_hex();
  if (request.to) json["to"] = request.to->lower_hex();
  if (!request.data.empty()) json["data"] = to_hex(request.data);
  if (request.value != 0) json["value"] = to_quantity_hex(request.value);
  if (request.gas) json["gas"] = to_quantity_hex(*request.gas);
  return json;
}

RpcClient::RpcClient(const std::string& url, std::chrono::milliseconds timeout) : url_(url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos)
    throw std::invalid_argument(fmt::format("RPC endpoint '{}': expected http://host:port[/path]", url));
  const std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https")
    throw std::invalid_argument(fmt::format("RPC endpoint '{}': scheme must be http or https", url));
  const std::size_t path_start = url.find('/', scheme_end + 3);
  const std::string host_port = url.substr(0, path_start);
  path_ = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (host_port.size() <= scheme_end + 3)
    throw std::invalid_argument(fmt::format("RPC endpoint '{}': no host", url));
  client_ = std::make_unique<httplib::Client>(host_port);
  if (!client_->is_valid()) throw std::invalid_argument(fmt::format("RPC endpoint '{}': not usable", url));
  client_->set_connection_timeout(timeout);
  client_->set_read_timeout(timeout);
  client_->set_write_timeout(timeout);
  client_->set_keep_alive(true);
  client_->set_tcp_nodelay(true);  // small JSON-RPC requests: without it Nagle + delayed ACK add ~40 ms each
}

RpcClient::~RpcClient() = default;
RpcClient::RpcClient(RpcClient&&) noexcept = default;
RpcClient& RpcClient::operator=(RpcClient&&) noexcept = default;

nlohmann::json RpcClient::call(const std::string& method, nlohmann::json params) {
  const std::uint64_t id = next_id_++;
  const nlohmann::json request = {
      {"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
  auto response = client_->Post(path_, request.dump(), "application/json");
  if (!response)
    throw RpcError(
        fmt::format("{} to {}: request failed: {}", method, url_, httplib::to_string(response.error())));
  return rpc_result(method, url_, response->status, response->body);
}

std::uint64_t RpcClient::chain_id() {
  return as_u64(call("eth_chainId"), "eth_chainId");
}

std::uint64_t RpcClient::block_number() {
  return as_u64(call("eth_blockNumber"), "eth_blockNumber");
}

uint256 RpcClient::balance(const Address& account, const std::string& block) {
  return parse_quantity(call("eth_getBalance", {account.lower_hex(), block}), "eth_getBalance");
}

std::uint64_t RpcClient::pending_nonce(const Address& account) {
  return as_u64(call("eth_getTransactionCount", {account.lower_hex(), "pending"}), "eth_getTransactionCount");
}

uint256 RpcClient::gas_price() {
  return parse_quantity(call("eth_gasPrice"), "eth_gasPrice");
}

FeeSuggestion RpcClient::suggest_fees() {
  std::optional<uint256> base_fee;
  std::optional<uint256> reward;
  try {
    const nlohmann::json history = call("eth_feeHistory", {"0x4", "latest", {50}});
    guarded("eth_feeHistory", [&] {
      const auto& base_fees = member(history, "baseFeePerGas", "eth_feeHistory");
      if (!base_fees.is_array() || base_fees.empty())
        throw RpcError("eth_feeHistory: baseFeePerGas is empty");
      // The last entry is the base fee of the next (pending) block.
      base_fee = parse_quantity(base_fees.back(), "eth_feeHistory.baseFeePerGas");
      if (history.contains("reward") && history["reward"].is_array()) {
        std::vector<uint256> rewards;
        for (const auto& block : history["reward"])
          if (block.is_array() && !block.empty())
            rewards.push_back(parse_quantity(block[0], "eth_feeHistory.reward"));
        if (!rewards.empty() && median(rewards) != 0) reward = median(rewards);
      }
      return 0;
    });
  } catch (const RpcError&) {
    // Pre-London nodes or endpoints without eth_feeHistory: fall back to eth_gasPrice below.
  }
  if (!reward) {
    try {
      reward = parse_quantity(call("eth_maxPriorityFeePerGas"), "eth_maxPriorityFeePerGas");
    } catch (const RpcError&) {
      reward = kOneGwei;
    }
  }
  FeeSuggestion fees;
  fees.max_priority_fee_per_gas = *reward;
  try {
    fees.gas_price = gas_price();
  } catch (const RpcError&) {
    if (!base_fee) throw;
    fees.gas_price = *base_fee + *reward;
  }
  const uint256 base = base_fee ? *base_fee : fees.gas_price;
  // Twice the base fee survives six full blocks of +12.5 % base fee growth; the node refunds what is not
  // used.
  fees.max_fee_per_gas = base * 2 + fees.max_priority_fee_per_gas;
  return fees;
}

std::uint64_t RpcClient::estimate_gas(const CallRequest& request) {
  return as_u64(call("eth_estimateGas", {call_request_to_json(request)}), "eth_estimateGas");
}

Bytes32 RpcClient::send_raw_transaction(ByteView raw) {
  const nlohmann::json result = call("eth_sendRawTransaction", {to_hex(raw)});
  return guarded("eth_sendRawTransaction", [&] { return as_hash(result, "eth_sendRawTransaction"); });
}

std::optional<Receipt> RpcClient::receipt(const Bytes32& transaction_hash) {
  const nlohmann::json result = call("eth_getTransactionReceipt", {to_hex(transaction_hash)});
  if (result.is_null()) return std::nullopt;
  return parse_receipt(result);
}

Receipt RpcClient::wait_for_receipt(const Bytes32& transaction_hash, std::chrono::milliseconds timeout,
                                    std::chrono::milliseconds poll) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last_error;
  for (;;) {
    try {
      if (auto found = receipt(transaction_hash)) return *found;
    } catch (const RpcError& error) {
      // A node that restarts or hiccups while we wait is not a verdict on the transaction: keep polling.
      last_error = error.what();
    }
    if (std::chrono::steady_clock::now() >= deadline)
      throw RpcError(fmt::format("transaction {}: no receipt after {} ms (timed out){}",
                                 to_hex(transaction_hash), timeout.count(),
                                 last_error.empty() ? "" : "; last error: " + last_error));
    std::this_thread::sleep_for(poll);
  }
}

Receipt RpcClient::wait_for_success(const Bytes32& transaction_hash, std::chrono::milliseconds timeout,
                                    std::chrono::milliseconds poll) {
  Receipt receipt = wait_for_receipt(transaction_hash, timeout, poll);
  if (!receipt.status)
    throw RpcError(fmt::format("transaction {} reverted in block {} (gas used {})", to_hex(transaction_hash),
                               receipt.block_number, receipt.gas_used));
  return receipt;
}

Bytes RpcClient::eth_call(const CallRequest& request, const std::string& block) {
  const nlohmann::json result = call("eth_call", {call_request_to_json(request), block});
  return guarded("eth_call", [&] { return from_hex(as_string(result, "eth_call"), "eth_call result"); });
}

std::vector<Log> RpcClient::get_logs(const LogFilter& filter) {
  nlohmann::json query = {{"fromBlock", to_quantity_hex(filter.from_block)},
                          {"toBlock", filter.to_block ? to_quantity_hex(*filter.to_block) : "latest"}};
  if (filter.address) query["address"] = filter.address->lower_hex();
  if (!filter.topics.empty()) {
    nlohmann::json topics = nlohmann::json::array();
    for (const auto& topic : filter.topics)
      topics.push_back(topic ? nlohmann::json(to_hex(*topic)) : nlohmann::json());
    query["topics"] = topics;
  }
  const nlohmann::json result = call("eth_getLogs", {query});
  if (!result.is_array()) throw RpcError("eth_getLogs: result is not an array");
  std::vector<Log> logs;
  for (const auto& log : result) logs.push_back(parse_log(log));
  return logs;
}

std::string RpcClient::block_hash(std::uint64_t number) {
  const nlohmann::json block = call("eth_getBlockByNumber", {to_quantity_hex(number), false});
  if (block.is_null()) throw RpcError(fmt::format("eth_getBlockByNumber: block {} does not exist", number));
  return guarded("eth_getBlockByNumber", [&] {
    return to_hex(as_hash(member(block, "hash", "eth_getBlockByNumber"), "block.hash"));
  });
}

void RpcClient::set_next_block_timestamp(std::uint64_t unix_seconds) {
  call("evm_setNextBlockTimestamp", {unix_seconds});
}

void RpcClient::increase_time(std::uint64_t seconds) {
  call("evm_increaseTime", {seconds});
}

void RpcClient::mine() {
  call("evm_mine");
}

void RpcClient::set_balance(const Address& account, const uint256& wei) {
  call("anvil_setBalance", {account.lower_hex(), to_quantity_hex(wei)});
}

}  // namespace hepek::eth
