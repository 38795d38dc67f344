#include <gtest/gtest.h>

#include "hepek/eth/cli.hpp"
#include "hepek/eth/transaction.hpp"
#include "vectors.hpp"

namespace hepek::eth {
namespace {

std::string error_of(std::string (*run)(const std::vector<std::string>&),
                     const std::vector<std::string>& args) {
  try {
    run(args);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(EthCli, Keccak) {
  EXPECT_EQ(run_eth_keccak({""}), "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(run_eth_keccak({"0x"}), "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(run_eth_keccak({"--text", "abc"}),
            "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  EXPECT_EQ(run_eth_keccak({"0x616263"}), run_eth_keccak({"--text", "abc"}));
  EXPECT_NE(error_of(run_eth_keccak, {"0xabc"}).find("HEX"), std::string::npos);
  EXPECT_NE(error_of(run_eth_keccak, {}).find("usage"), std::string::npos);
  EXPECT_NE(error_of(run_eth_keccak, {"--text"}).find("usage"), std::string::npos);
}

TEST(EthCli, Address) {
  EXPECT_EQ(run_eth_address({"--key", "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"}),
            "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  EXPECT_NE(error_of(run_eth_address, {}).find("--key is required"), std::string::npos);
  EXPECT_NE(error_of(run_eth_address, {"--key", "0x12"}).find("--key"), std::string::npos);
  EXPECT_NE(error_of(run_eth_address, {"--kee", "0x12"}).find("--kee"), std::string::npos);
}

TEST(EthCli, SignTxReproducesTheEip155Example) {
  const auto& example = test::vectors()["eip155_example"];
  const std::string raw =
      run_eth_sign_tx({"--key", example["key"].get<std::string>(), "--tx", example["tx"].dump()});
  EXPECT_EQ(raw, "0x" + example["signed"].get<std::string>());
}

TEST(EthCli, SignTxCreatesContractsAndReportsBadFields) {
  const std::string key = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
  const std::string raw = run_eth_sign_tx(
      {"--key", key, "--tx",
       R"({"type":2,"chainId":31337,"nonce":0,"gas":"100000","maxFeePerGas":"0x77359400","maxPriorityFeePerGas":"1","to":null,"data":"0x6080"})"});
  const SignedTransaction decoded = decode_raw_transaction(from_hex(raw));
  EXPECT_FALSE(decoded.tx.to);
  EXPECT_EQ(decoded.sender().checksummed(), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  EXPECT_NE(error_of(run_eth_sign_tx, {"--key", key, "--tx", "{"}).find("--tx"), std::string::npos);
  EXPECT_NE(error_of(run_eth_sign_tx, {"--key", key, "--tx", R"({"type":0,"chainId":1,"nonce":0,"gas":1})"})
                .find("tx.gasPrice"),
            std::string::npos);
  EXPECT_NE(error_of(run_eth_sign_tx, {"--key", key}).find("--tx is required"), std::string::npos);
  // A contract creation only when asked for with "to": null; "" is refused.
  const std::string empty_to = error_of(
      run_eth_sign_tx,
      {"--key", key, "--tx",
       R"({"type":2,"chainId":31337,"nonce":0,"gas":"100000","maxFeePerGas":"0x77359400","maxPriorityFeePerGas":"1","to":"","data":"0x6080"})"});
  EXPECT_NE(empty_to.find("--tx: tx.to: empty string"), std::string::npos) << empty_to;
  const std::string nul = error_of(
      run_eth_sign_tx, {"--key", key, "--tx", std::string(R"({"type":0,"chainId":1})") + '\0' + "junk"});
  EXPECT_NE(nul.find("NUL byte at offset 22"), std::string::npos) << nul;
}

TEST(EthCli, CommandsReturnTwoOnErrorAndZeroOnSuccess) {
  const hepek::CommandContext context;
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  EXPECT_EQ(eth_keccak_command(context, {"--text", "abc"}), 0);
  EXPECT_EQ(eth_sign_tx_command(context, {"--tx", "{}"}), 2);
  const std::string out = testing::internal::GetCapturedStdout();
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(out, "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45\n");
  EXPECT_NE(err.find("hepek eth sign-tx"), std::string::npos);
}

}  // namespace
}  // namespace hepek::eth
