// libFuzzer target: what a JSON-RPC node sends back (rpc.hpp): the response body as RpcClient::call() reads it
// (rpc_result), then the typed readers the client applies to a result: a receipt, a list of logs, a quantity.
// Invariants besides ASan/UBSan: every reader throws only RpcError (the contract: nothing crashes on a malformed
// response, and every failure names the method or field); a non-200 status is always an error.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "hepek/eth/rpc.hpp"
#include "hepek/testing/fuzz_check.hpp"

namespace he = hepek::eth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  try {
    (void)he::rpc_result("eth_blockNumber", "http://127.0.0.1:8545", 502, body);
    HEPEK_FUZZ_CHECK(false, "an HTTP error status is an error");
  } catch (const he::RpcError&) {
  }
  nlohmann::json result;
  try {
    result = he::rpc_result("eth_getTransactionReceipt", "http://127.0.0.1:8545", 200, body);
  } catch (const he::RpcError&) {
    return 0;
  }
  try {
    (void)he::parse_receipt(result);
  } catch (const he::RpcError&) {
  }
  try {
    (void)he::parse_quantity(result, "eth_blockNumber");
  } catch (const he::RpcError&) {
  }
  if (result.is_array())
    for (const auto& log : result) {
      try {
        (void)he::parse_log(log);
      } catch (const he::RpcError&) {
      }
    }
  return 0;
}
