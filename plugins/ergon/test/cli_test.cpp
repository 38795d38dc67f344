// Integration: the eth commands through the real `hepek` binary (published vectors).
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {
namespace t = hepek::testing;

TEST(ErgonCli, EthCommandsThroughTheHubBinary) {
  auto keccak = t::run_command({t::hepek_binary(), "eth", "keccak", "0x616263"});
  EXPECT_EQ(keccak.exit_code, 0) << keccak.err;
  EXPECT_EQ(keccak.out, "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45\n");
  keccak = t::run_command({t::hepek_binary(), "eth", "keccak", "--text", ""});
  EXPECT_EQ(keccak.out, "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470\n");
  const auto address = t::run_command({t::hepek_binary(), "eth", "address", "--key",
                                       "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"});
  EXPECT_EQ(address.out, "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23\n");
  // EIP-155 example transaction (from the EIP text).
  const auto signed_tx = t::run_command(
      {t::hepek_binary(), "eth", "sign-tx", "--key",
       "0x4646464646464646464646464646464646464646464646464646464646464646", "--tx",
       R"({"type":0,"chainId":1,"nonce":9,"gasPrice":"20000000000","gas":21000,"to":"0x3535353535353535353535353535353535353535","value":"1000000000000000000","data":"0x"})"});
  EXPECT_EQ(signed_tx.exit_code, 0) << signed_tx.err;
  EXPECT_EQ(signed_tx.out,
            "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef"
            "61340bd939bc"
            "2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc6421"
            "4b297fb196"
            "6a3b6d83\n");
  const auto bad = t::run_command({t::hepek_binary(), "eth", "keccak", "0xzz"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("HEX"), std::string::npos) << bad.err;
  const auto no_hub = t::run_command({t::hepek_binary(), "wallet", "buy", "1.5"});
  EXPECT_EQ(no_hub.exit_code, 2);
  EXPECT_NE(no_hub.err.find("no running hub"), std::string::npos) << no_hub.err;
}

}  // namespace
