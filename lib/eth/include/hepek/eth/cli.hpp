// `hepek eth ...` commands in the style of Foundry's cast, for the ergon plugin to register with HEPEK_CLI:
//   HEPEK_CLI("eth keccak",  "...", hepek::eth::eth_keccak_command)
//   HEPEK_CLI("eth address", "...", hepek::eth::eth_address_command)
//   HEPEK_CLI("eth sign-tx", "...", hepek::eth::eth_sign_tx_command)
//
// Contract: each command prints its result on stdout followed by a newline and returns 0; bad arguments print
// a message naming the argument (and usage) on stderr and return 2. The run_* functions are the pure parts:
// they return the output line or throw std::invalid_argument, so tests can call them directly.
#pragma once

#include <string>
#include <vector>

#include <hepek/plugin.hpp>

namespace hepek::eth {

// keccak HEX | keccak --text STR  → 0x-hash
std::string run_eth_keccak(const std::vector<std::string>& args);
// address --key HEX  → EIP-55 address
std::string run_eth_address(const std::vector<std::string>& args);
// sign-tx --key HEX --tx JSON  → 0x raw signed transaction
std::string run_eth_sign_tx(const std::vector<std::string>& args);

int eth_keccak_command(const hepek::CommandContext& context, const std::vector<std::string>& args);
int eth_address_command(const hepek::CommandContext& context, const std::vector<std::string>& args);
int eth_sign_tx_command(const hepek::CommandContext& context, const std::vector<std::string>& args);

inline constexpr const char* kEthKeccakHelp = "keccak-256 of HEX bytes or of --text STR";
inline constexpr const char* kEthAddressHelp = "EIP-55 address of --key HEX (secp256k1 private key)";
inline constexpr const char* kEthSignTxHelp =
    "sign --tx JSON (type 0|2, chainId, nonce, gas, gasPrice | maxFeePerGas+maxPriorityFeePerGas, to (null: "
    "contract creation), value, data, accessList) with --key HEX; prints the raw transaction";

}  // namespace hepek::eth
