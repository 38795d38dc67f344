// EIP-191 personal messages ("\x19Ethereum Signed Message:\n" + length + text), as eth_sign/personal_sign
// make them: used for the operator's signed tariffs and price broadcasts. Pure functions.
#pragma once

#include <string_view>

#include "hepek/eth/address.hpp"
#include "hepek/eth/hex.hpp"
#include "hepek/eth/keys.hpp"

namespace hepek::eth {

Bytes32 personal_message_digest(std::string_view text);
// 65 bytes r || s || v with v = 27/28 (what wallets and OpenZeppelin's ECDSA expect).
Bytes sign_personal_message(const PrivateKey& key, std::string_view text);
// The signer of `text`; throws SignatureError for malformed or high-s signatures.
Address recover_personal_message_signer(std::string_view text, ByteView signature65);

}  // namespace hepek::eth
