#include "hepek/eth/typed_messages.hpp"

#include "hepek/eth/keccak.hpp"

namespace hepek::eth {

Bytes32 BalanceProof::hash_struct() const {
  static const Bytes32 type_hash = keccak256_text(kBalanceProofType);
  const Bytes32 words[] = {channel_id, to_be32(cumulative_amount), to_be32(cumulative_import_wh),
                           to_be32(cycle)};
  return hash_struct_words(type_hash, words);
}

Bytes32 BalanceProof::digest(const Bytes32& domain_separator) const {
  return typed_data_digest(domain_separator, hash_struct());
}

Bytes32 Permit::hash_struct() const {
  static const Bytes32 type_hash = keccak256_text(kPermitType);
  const Bytes32 words[] = {owner.to_word(), spender.to_word(), to_be32(value), to_be32(nonce),
                           to_be32(deadline)};
  return hash_struct_words(type_hash, words);
}

Bytes32 Permit::digest(const Bytes32& domain_separator) const {
  return typed_data_digest(domain_separator, hash_struct());
}

}  // namespace hepek::eth
