// libFuzzer target: the strict transaction JSON reader (transaction_json.hpp) as `hepek eth sign-tx --tx` takes
// it (transaction_from_json_text), then signing and the raw encoding.
// Invariants besides ASan/UBSan: the reader throws only std::invalid_argument; a transaction it accepts
// (a) validates, (b) reads back unchanged from its own JSON form (transaction_to_json), and (c) signed with a
// fixed key, encodes to raw bytes that decode (decode_raw_transaction) to the same transaction and recover
// the key's address.
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "hepek/eth/keys.hpp"
#include "hepek/eth/transaction.hpp"
#include "hepek/eth/transaction_json.hpp"
#include "hepek/testing/fuzz_check.hpp"

namespace he = hepek::eth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  he::Transaction tx;
  try {
    tx = he::transaction_from_json_text(text);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  he::validate(tx);
  HEPEK_FUZZ_CHECK(he::transaction_from_json(he::transaction_to_json(tx)) == tx,
                   "an accepted transaction reads back from its JSON form");
  static const he::PrivateKey key =
      he::PrivateKey::from_hex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
  const he::SignedTransaction signed_tx = he::sign_transaction(tx, key);
  const he::SignedTransaction decoded = he::decode_raw_transaction(signed_tx.raw());
  HEPEK_FUZZ_CHECK(decoded.tx == tx, "the raw encoding decodes to the signed transaction");
  HEPEK_FUZZ_CHECK(decoded.sender() == key.address(), "the signature recovers the signer");
  return 0;
}
