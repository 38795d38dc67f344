#include "hepek/eth/personal_message.hpp"

#include <string>

#include "hepek/eth/keccak.hpp"

namespace hepek::eth {

Bytes32 personal_message_digest(std::string_view text) {
  const std::string prefixed =
      "\x19"
      "Ethereum Signed Message:\n" +
      std::to_string(text.size()) + std::string(text);
  return keccak256(as_bytes(prefixed));
}

Bytes sign_personal_message(const PrivateKey& key, std::string_view text) {
  const auto bytes = key.sign(personal_message_digest(text)).to_bytes_v27();
  return Bytes(bytes.begin(), bytes.end());
}

Address recover_personal_message_signer(std::string_view text, ByteView signature65) {
  return recover_address(personal_message_digest(text), Signature::from_bytes(signature65));
}

}  // namespace hepek::eth
