#include "hepek/eth/keccak.hpp"

#include <cryptopp/keccak.h>

namespace hepek::eth {

Bytes32 keccak256(ByteView bytes) {
  CryptoPP::Keccak_256 hash;
  hash.Update(bytes.data(), bytes.size());
  Bytes32 out;
  hash.Final(out.data());
  return out;
}

Bytes32 keccak256_text(std::string_view text) {
  return keccak256(as_bytes(text));
}

}  // namespace hepek::eth
