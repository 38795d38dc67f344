// The RPC client against an in-process HTTP server that answers like a broken or hostile node: every
// malformed response must become an RpcError with a useful message, never a crash or a silently wrong value.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "hepek/eth/rpc.hpp"

namespace hepek::eth {
namespace {

class MisbehavingNode : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Post("/", [this](const httplib::Request&, httplib::Response& response) {
      response.status = status_;
      response.set_content(body_, "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
  }
  RpcClient client() {
    return RpcClient("http://127.0.0.1:" + std::to_string(port_), std::chrono::seconds(2));
  }

  template <typename Function>
  std::string error_of(Function&& function) {
    try {
      function();
    } catch (const RpcError& error) {
      return error.what();
    }
    ADD_FAILURE() << "no RpcError";
    return "";
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  int status_ = 200;
  std::string body_;
};

TEST_F(MisbehavingNode, NodeErrorsCarryTheMessageAndCode) {
  body_ = R"({"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"nonce too low"}})";
  RpcClient rpc = client();
  try {
    rpc.send_raw_transaction(Bytes{0x02});
    FAIL();
  } catch (const RpcError& error) {
    EXPECT_EQ(error.code(), -32000);
    EXPECT_NE(std::string(error.what()).find("nonce too low"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("eth_sendRawTransaction"), std::string::npos);
  }
  body_ = R"({"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted","data":"0x08c379a0"}})";
  EXPECT_NE(error_of([&] { rpc.eth_call({}); }).find("0x08c379a0"), std::string::npos);
}

TEST_F(MisbehavingNode, MalformedResponsesBecomeRpcErrors) {
  RpcClient rpc = client();
  const std::pair<int, std::string> cases[] = {
      {200, "not json at all"},
      {200, "[1,2,3]"},
      {200, R"({"jsonrpc":"2.0","id":1})"},
      {200, R"({"jsonrpc":"2.0","id":1,"result":12})"},
      {200, R"({"jsonrpc":"2.0","id":1,"result":"0x"})"},
      {200, R"({"jsonrpc":"2.0","id":1,"result":"0xzz"})"},
      {200, R"({"jsonrpc":"2.0","id":1,"result":"0x1ffffffffffffffff"})"},
      {200, R"({"jsonrpc":"2.0","id":1,"result":"1234"})"},
      {500, "internal error"},
  };
  for (const auto& [status, body] : cases) {
    status_ = status;
    body_ = body;
    EXPECT_FALSE(error_of([&] { rpc.chain_id(); }).empty()) << body;
  }
  status_ = 200;
  body_ = R"({"jsonrpc":"2.0","id":1,"result":{"transactionHash":"0x12"}})";
  EXPECT_NE(error_of([&] { rpc.receipt(Bytes32{}); }).find("receipt"), std::string::npos);
  body_ = R"({"jsonrpc":"2.0","id":1,"result":[{"address":"0x00","topics":[],"data":"0x"}]})";
  EXPECT_NE(error_of([&] { rpc.get_logs({}); }).find("log.address"), std::string::npos);
  body_ = R"({"jsonrpc":"2.0","id":1,"result":{"baseFeePerGas":"oops"}})";
  EXPECT_FALSE(error_of([&] { rpc.eth_call({}); }).empty());
}

TEST_F(MisbehavingNode, ReceiptTimeoutAndRevertAreReported) {
  body_ = R"({"jsonrpc":"2.0","id":1,"result":null})";
  RpcClient rpc = client();
  EXPECT_NE(error_of([&] {
              rpc.wait_for_receipt(Bytes32{}, std::chrono::milliseconds(150), std::chrono::milliseconds(20));
            }).find("timed out"),
            std::string::npos);
  body_ = R"({"jsonrpc":"2.0","id":1,"result":{"transactionHash":"0x)" + std::string(64, 'a') +
          R"(","blockNumber":"0x5","status":"0x0","gasUsed":"0x5208","logs":[]}})";
  EXPECT_NE(error_of([&] { rpc.wait_for_success(Bytes32{}); }).find("reverted"), std::string::npos);
}

TEST_F(MisbehavingNode, FeeSuggestionFallsBackWhenFeeHistoryIsMissing) {
  // Every method answers "0x3b9aca00" (1 gwei): eth_feeHistory's result then has no baseFeePerGas and is
  // skipped.
  body_ = R"({"jsonrpc":"2.0","id":1,"result":"0x3b9aca00"})";
  RpcClient rpc = client();
  const FeeSuggestion fees = rpc.suggest_fees();
  EXPECT_EQ(fees.gas_price, 1000000000);
  EXPECT_EQ(fees.max_priority_fee_per_gas, 1000000000);
  EXPECT_EQ(fees.max_fee_per_gas, 3000000000u);
}

TEST(RpcClient, UnreachableNodeAndBadUrls) {
  EXPECT_THROW(RpcClient("localhost:8545"), std::invalid_argument);
  EXPECT_THROW(RpcClient("ftp://localhost:8545"), std::invalid_argument);
  // Port 9 (discard) on loopback is closed here: the connection is refused.
  RpcClient rpc("http://127.0.0.1:9", std::chrono::milliseconds(500));
  try {
    rpc.block_number();
    FAIL();
  } catch (const RpcError& error) {
    EXPECT_NE(std::string(error.what()).find("eth_blockNumber"), std::string::npos);
  }
}

TEST(RpcParse, ReceiptAndLogFields) {
  const auto receipt = parse_receipt(nlohmann::json::parse(R"({
    "transactionHash": "0x)" + std::string(64, 'b') + R"(", "blockNumber": "0x10", "status": "0x1",
    "gasUsed": "0x5208", "effectiveGasPrice": "0x3b9aca00", "contractAddress": null,
    "logs": [{"address": "0x5fbdb2315678afecb367f032d93f642f64180aa3", "topics": ["0x)" +
                                                           std::string(64, 'c') + R"("],
              "data": "0x01", "blockNumber": "0x10", "transactionHash": "0x)" +
                                                           std::string(64, 'b') + R"(",
              "logIndex": "0x0"}]})"));
  EXPECT_TRUE(receipt.status);
  EXPECT_EQ(receipt.block_number, 16u);
  EXPECT_EQ(receipt.gas_used, 21000u);
  EXPECT_EQ(receipt.effective_gas_price, 1000000000);
  ASSERT_EQ(receipt.logs.size(), 1u);
  EXPECT_EQ(receipt.logs[0].data, Bytes{1});
  EXPECT_THROW(parse_receipt(nlohmann::json::parse(R"({"status": "0x2"})")), RpcError);
  EXPECT_THROW(parse_quantity("0x", "x"), RpcError);
  EXPECT_THROW(parse_quantity(5, "x"), RpcError);
}

}  // namespace
}  // namespace hepek::eth
