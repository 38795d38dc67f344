// The EIP-712 messages HEPEK signs: the payment channel's balance proof and the token's EIP-2612 permit.
//
// Contract: the type strings below must equal the Solidity contracts' typehash strings byte for byte;
// hash_struct() follows EIP-712 encodeData for these flat structs (all fields are 32-byte words), digest()
// adds the domain.
#pragma once

#include <cstdint>
#include <string_view>

#include "hepek/eth/address.hpp"
#include "hepek/eth/eip712.hpp"
#include "hepek/eth/hex.hpp"
#include "hepek/eth/uint256.hpp"

namespace hepek::eth {

inline constexpr std::string_view kBalanceProofType =
    "BalanceProof(bytes32 channelId,uint256 cumulativeAmount,uint256 cumulativeImportWh,uint64 cycle)";
inline constexpr std::string_view kPermitType =
    "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)";

struct BalanceProof {
  Bytes32 channel_id{};
  uint256 cumulative_amount;     // token base units, cumulative since the channel opened
  uint256 cumulative_import_wh;  // metered import, cumulative, Wh
  std::uint64_t cycle = 0;       // billing cycle number

  Bytes32 hash_struct() const;
  Bytes32 digest(const Bytes32& domain_separator) const;
};

struct Permit {
  Address owner;
  Address spender;
  uint256 value;
  uint256 nonce;
  uint256 deadline;

  Bytes32 hash_struct() const;
  Bytes32 digest(const Bytes32& domain_separator) const;
};

}  // namespace hepek::eth
