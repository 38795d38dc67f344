#include "hepek/eth/transaction.hpp"

#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "hepek/eth/keccak.hpp"
#include "hepek/eth/rlp.hpp"

namespace hepek::eth {

namespace {

RlpItem to_item(const std::optional<Address>& to) {
  if (!to) return RlpItem::string({});
  return RlpItem::string(Bytes(to->bytes.begin(), to->bytes.end()));
}

RlpItem access_list_item(const std::vector<AccessListEntry>& list) {
  std::vector<RlpItem> entries;
  for (const auto& entry : list) {
    std::vector<RlpItem> keys;
    for (const auto& key : entry.storage_keys) keys.push_back(RlpItem::string(Bytes(key.begin(), key.end())));
    entries.push_back(
        RlpItem::list({RlpItem::string(Bytes(entry.address.bytes.begin(), entry.address.bytes.end())),
                       RlpItem::list(keys)}));
  }
  return RlpItem::list(std::move(entries));
}

// The fields both the signing payload and the raw encoding start with.
std::vector<RlpItem> body_fields(const Transaction& tx) {
  if (tx.type == 0)
    return {RlpItem::uint(tx.nonce), RlpItem::uint(tx.gas_price), RlpItem::uint(tx.gas_limit),
            to_item(tx.to),          RlpItem::uint(tx.value),     RlpItem::string(tx.data)};
  return {RlpItem::uint(tx.chain_id),
          RlpItem::uint(tx.nonce),
          RlpItem::uint(tx.max_priority_fee_per_gas),
          RlpItem::uint(tx.max_fee_per_gas),
          RlpItem::uint(tx.gas_limit),
          to_item(tx.to),
          RlpItem::uint(tx.value),
          RlpItem::string(tx.data),
          access_list_item(tx.access_list)};
}

Bytes typed_envelope(std::uint8_t type, const RlpItem& list) {
  Bytes out{type};
  const Bytes encoded = rlp_encode(list);
  out.insert(out.end(), encoded.begin(), encoded.end());
  return out;
}

std::uint64_t to_u64(const RlpItem& item, std::string_view what) {
  const uint256 value = item.as_uint(what);
  if (value > std::numeric_limits<std::uint64_t>::max())
    throw RlpError(fmt::format("transaction {} does not fit in 64 bits", what));
  return static_cast<std::uint64_t>(value);
}

std::optional<Address> to_from_item(const RlpItem& item) {
  const Bytes& bytes = item.as_bytes("to");
  if (bytes.empty()) return std::nullopt;
  if (bytes.size() != 20) throw RlpError(fmt::format("transaction to has {} bytes, not 20", bytes.size()));
  Address address;
  std::copy(bytes.begin(), bytes.end(), address.bytes.begin());
  return address;
}

Bytes32 word_from_item(const RlpItem& item, std::string_view what) {
  const uint256 value = item.as_uint(what);
  return to_be32(value);
}

}  // namespace

void validate(const Transaction& tx) {
  if (tx.type != 0 && tx.type != 2)
    throw std::invalid_argument(fmt::format("tx.type: must be 0 (legacy) or 2 (EIP-1559), got {}", tx.type));
  if (tx.chain_id == 0) throw std::invalid_argument("tx.chainId: must be positive (replay protection)");
  if (tx.gas_limit == 0)
    throw std::invalid_argument("tx.gas: must be greater than 0 (nothing runs on no gas)");
  if (tx.type == 0) {
    if (tx.max_fee_per_gas != 0 || tx.max_priority_fee_per_gas != 0)
      throw std::invalid_argument(
          "tx.maxFeePerGas/maxPriorityFeePerGas: not allowed in a type 0 transaction");
    if (!tx.access_list.empty())
      throw std::invalid_argument("tx.accessList: not allowed in a type 0 transaction");
  } else {
    if (tx.gas_price != 0) throw std::invalid_argument("tx.gasPrice: not allowed in a type 2 transaction");
    if (tx.max_priority_fee_per_gas > tx.max_fee_per_gas)
      throw std::invalid_argument(fmt::format("tx.maxPriorityFeePerGas: {} exceeds maxFeePerGas {}",
                                              to_decimal(tx.max_priority_fee_per_gas),
                                              to_decimal(tx.max_fee_per_gas)));
  }
}

Bytes signing_payload(const Transaction& tx) {
  validate(tx);
  std::vector<RlpItem> fields = body_fields(tx);
  if (tx.type == 0) {
    fields.push_back(RlpItem::uint(tx.chain_id));
    fields.push_back(RlpItem::uint(0));
    fields.push_back(RlpItem::uint(0));
    return rlp_encode(RlpItem::list(std::move(fields)));
  }
  return typed_envelope(2, RlpItem::list(std::move(fields)));
}

Bytes32 signing_hash(const Transaction& tx) {
  return keccak256(signing_payload(tx));
}

Bytes SignedTransaction::raw() const {
  validate(tx);
  std::vector<RlpItem> fields = body_fields(tx);
  if (tx.type == 0) {
    fields.push_back(RlpItem::uint(uint256(tx.chain_id) * 2 + 35 + signature.v));
  } else {
    fields.push_back(RlpItem::uint(signature.v));
  }
  fields.push_back(RlpItem::uint(from_be(signature.r)));
  fields.push_back(RlpItem::uint(from_be(signature.s)));
  if (tx.type == 0) return rlp_encode(RlpItem::list(std::move(fields)));
  return typed_envelope(2, RlpItem::list(std::move(fields)));
}

Bytes32 SignedTransaction::hash() const {
  return keccak256(raw());
}

Address SignedTransaction::sender() const {
  return recover_address(signing_hash(tx), signature);
}

SignedTransaction sign_transaction(const Transaction& tx, const PrivateKey& key) {
  return {tx, key.sign(signing_hash(tx))};
}

SignedTransaction decode_raw_transaction(ByteView raw) {
  if (raw.empty()) throw RlpError("transaction: empty input");
  SignedTransaction signed_tx;
  Transaction& tx = signed_tx.tx;
  if (raw[0] >= 0xc0) {
    const RlpItem item = rlp_decode(raw);
    const auto& f = item.as_list("legacy transaction");
    if (f.size() != 9) throw RlpError(fmt::format("legacy transaction has {} fields, not 9", f.size()));
    tx.type = 0;
    tx.nonce = to_u64(f[0], "nonce");
    tx.gas_price = f[1].as_uint("gasPrice");
    tx.gas_limit = to_u64(f[2], "gas");
    tx.to = to_from_item(f[3]);
    tx.value = f[4].as_uint("value");
    tx.data = f[5].as_bytes("data");
    const uint256 v = f[6].as_uint("v");
    if (v < 35) throw RlpError(fmt::format("legacy transaction v={} has no EIP-155 chain id", to_decimal(v)));
    const uint256 chain_id = (v - 35) / 2;
    if (chain_id > std::numeric_limits<std::uint64_t>::max())
      throw RlpError("transaction chain id is too large");
    tx.chain_id = static_cast<std::uint64_t>(chain_id);
    signed_tx.signature.v = static_cast<std::uint8_t>((v - 35) % 2);
    signed_tx.signature.r = word_from_item(f[7], "r");
    signed_tx.signature.s = word_from_item(f[8], "s");
  } else if (raw[0] == 0x02) {
    const RlpItem item = rlp_decode(raw.subspan(1));
    const auto& f = item.as_list("EIP-1559 transaction");
    if (f.size() != 12) throw RlpError(fmt::format("EIP-1559 transaction has {} fields, not 12", f.size()));
    tx.type = 2;
    tx.chain_id = to_u64(f[0], "chainId");
    tx.nonce = to_u64(f[1], "nonce");
    tx.max_priority_fee_per_gas = f[2].as_uint("maxPriorityFeePerGas");
    tx.max_fee_per_gas = f[3].as_uint("maxFeePerGas");
    tx.gas_limit = to_u64(f[4], "gas");
    tx.to = to_from_item(f[5]);
    tx.value = f[6].as_uint("value");
    tx.data = f[7].as_bytes("data");
    for (const auto& entry : f[8].as_list("accessList")) {
      const auto& pair = entry.as_list("accessList entry");
      if (pair.size() != 2) throw RlpError("accessList entry must be [address, storageKeys]");
      const Bytes& address = pair[0].as_bytes("accessList address");
      if (address.size() != 20) throw RlpError("accessList address must be 20 bytes");
      AccessListEntry parsed;
      std::copy(address.begin(), address.end(), parsed.address.bytes.begin());
      for (const auto& key : pair[1].as_list("accessList storageKeys")) {
        const Bytes& bytes = key.as_bytes("storage key");
        if (bytes.size() != 32) throw RlpError("accessList storage key must be 32 bytes");
        Bytes32 word;
        std::copy(bytes.begin(), bytes.end(), word.begin());
        parsed.storage_keys.push_back(word);
      }
      tx.access_list.push_back(std::move(parsed));
    }
    const uint256 y_parity = f[9].as_uint("yParity");
    if (y_parity > 1) throw RlpError("EIP-1559 yParity must be 0 or 1");
    signed_tx.signature.v = static_cast<std::uint8_t>(y_parity);
    signed_tx.signature.r = word_from_item(f[10], "r");
    signed_tx.signature.s = word_from_item(f[11], "s");
  } else {
    throw RlpError(fmt::format("transaction type 0x{:02x} is not supported", raw[0]));
  }
  if (!is_low_s(signed_tx.signature.s)) throw SignatureError("transaction signature has a high s value");
  // What validate() refuses (a zero chain id, a priority fee above the max fee) could be neither re-encoded nor
  // hashed: raw(), hash() and sender() would throw later. Refuse it here.
  try {
    validate(tx);
  } catch (const std::invalid_argument& error) {
    throw RlpError(fmt::format("transaction: {}", error.what()));
  }
  return signed_tx;
}

Address contract_address(const Address& sender, std::uint64_t nonce) {
  const Bytes encoded = rlp_encode(RlpItem::list(
      {RlpItem::string(Bytes(sender.bytes.begin(), sender.bytes.end())), RlpItem::uint(nonce)}));
  const Bytes32 hash = keccak256(encoded);
  Address address;
  std::copy(hash.begin() + 12, hash.end(), address.bytes.begin());
  return address;
}

}  // namespace hepek::eth
