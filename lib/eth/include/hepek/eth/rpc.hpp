// Ethereum JSON-RPC client over HTTP(S) (cpp-httplib + nlohmann-json).
//
// Contract:
// - call(method, params) posts one JSON-RPC 2.0 request and returns its "result". Transport failures, HTTP
// errors,
//   non-JSON bodies and responses without "result" throw RpcError whose message names the method and includes
//   the node's error message and code when it sent one; nothing here crashes on a malformed response.
// - Typed helpers parse quantities strictly (0x hex, at most 256 bits) and throw RpcError naming the field.
// - wait_for_receipt() polls until the receipt appears or the timeout passes (RpcError "timed out", with the
// last
//   polling error if there was one: transient node failures while waiting are retried, not fatal);
//   wait_for_success() also throws RpcError if the receipt's status is 0 (reverted).
// - Anvil helpers (set_next_block_timestamp, increase_time, mine, set_balance) are thin wrappers over call().
// Not thread-safe: one client per thread (they are cheap).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hepek/eth/abi.hpp"
#include "hepek/eth/address.hpp"
#include "hepek/eth/hex.hpp"
#include "hepek/eth/uint256.hpp"

namespace httplib {
class Client;
}

namespace hepek::eth {

class RpcError : public std::runtime_error {
 public:
  RpcError(const std::string& message, int code = 0) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }  // JSON-RPC error code, 0 if the failure was not a JSON-RPC error object

 private:
  int code_;
};

struct CallRequest {
  std::optional<Address> from;
  std::optional<Address> to;  // absent: contract creation (estimate_gas)
  Bytes data;
  uint256 value;
  std::optional<std::uint64_t> gas;
};

struct FeeSuggestion {
  uint256 max_fee_per_gas;  // EIP-1559: 2 × base fee + priority fee
  uint256 max_priority_fee_per_gas;
  uint256 gas_price;  // for legacy transactions
};

struct Receipt {
  Bytes32 transaction_hash{};
  std::uint64_t block_number = 0;
  bool status = false;
  std::uint64_t gas_used = 0;
  uint256 effective_gas_price;
  std::optional<Address> contract_address;
  std::vector<Log> logs;
};

struct LogFilter {
  std::optional<Address> address;
  std::vector<std::optional<Bytes32>> topics;  // nullopt matches any topic in that position
  std::uint64_t from_block = 0;
  std::optional<std::uint64_t> to_block;  // nullopt: "latest"
};

class RpcClient {
 public:
  // url: http(s)://host[:port][/path]. Throws std::invalid_argument for a URL it cannot use.
  explicit RpcClient(const std::string& url, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~RpcClient();
  RpcClient(RpcClient&&) noexcept;
  RpcClient& operator=(RpcClient&&) noexcept;

  nlohmann::json call(const std::string& method, nlohmann::json params = nlohmann::json::array());

  std::uint64_t chain_id();
  std::uint64_t block_number();
  uint256 balance(const Address& account, const std::string& block = "latest");
  std::uint64_t pending_nonce(const Address& account);
  uint256 gas_price();
  FeeSuggestion suggest_fees();
  std::uint64_t estimate_gas(const CallRequest& request);
  Bytes32 send_raw_transaction(ByteView raw);
  std::optional<Receipt> receipt(const Bytes32& transaction_hash);
  Receipt wait_for_receipt(const Bytes32& transaction_hash,
                           std::chrono::milliseconds timeout = std::chrono::seconds(60),
                           std::chrono::milliseconds poll = std::chrono::milliseconds(100));
  Receipt wait_for_success(const Bytes32& transaction_hash,
                           std::chrono::milliseconds timeout = std::chrono::seconds(60),
                           std::chrono::milliseconds poll = std::chrono::milliseconds(100));
  Bytes eth_call(const CallRequest& request, const std::string& block = "latest");
  std::vector<Log> get_logs(const LogFilter& filter);
  std::string block_hash(std::uint64_t number);

  // Anvil / Hardhat test-node helpers.
  void set_next_block_timestamp(std::uint64_t unix_seconds);
  void increase_time(std::uint64_t seconds);
  void mine();
  void set_balance(const Address& account, const uint256& wei);

  const std::string& url() const { return url_; }

 private:
  std::string url_;
  std::string path_;
  std::unique_ptr<httplib::Client> client_;
  std::uint64_t next_id_ = 1;
};

// Parsing helpers shared with tests: strict 0x quantity → integer; `field` names the value in errors.
uint256 parse_quantity(const nlohmann::json& value, const std::string& field);
Receipt parse_receipt(const nlohmann::json& json);
Log parse_log(const nlohmann::json& json);
nlohmann::json call_request_to_json(const CallRequest& request);
// The "result" of a JSON-RPC response (HTTP `status`, `body` as received), as call() reads it: RpcError naming
// `method` for a node error object (its message and code), an HTTP error, a body that is not JSON or one
// without "result".
nlohmann::json rpc_result(const std::string& method, const std::string& url, int status,
                          const std::string& body);

}  // namespace hepek::eth
