// libFuzzer target: the strict RLP decoder (rlp.hpp) and the raw-transaction decoder built on it
// (decode_raw_transaction, transaction.hpp), on the same bytes, as eth_sendRawTransaction input and chain data
// reach them.
// Invariants besides ASan/UBSan: decoding throws only RlpError/SignatureError; what decodes re-encodes to
// exactly the input (the decoder accepts canonical encodings only, so encoding is its inverse); a decoded
// transaction's raw() is the input again and its JSON form (transaction_to_json) reads back as the same
// transaction.
#include <cstddef>
#include <cstdint>

#include "hepek/eth/keys.hpp"
#include "hepek/eth/rlp.hpp"
#include "hepek/eth/transaction.hpp"
#include "hepek/eth/transaction_json.hpp"
#include "hepek/testing/fuzz_check.hpp"

namespace he = hepek::eth;

namespace {

void read_leaves(const he::RlpItem& item) {
  if (item.is_list) {
    for (const auto& child : item.items) read_leaves(child);
    return;
  }
  try {
    (void)item.as_uint();
  } catch (const he::RlpError&) {
  }
}

void check_item(he::ByteView input) {
  he::RlpItem item;
  try {
    item = he::rlp_decode(input);
  } catch (const he::RlpError&) {
    return;
  }
  read_leaves(item);
  const he::Bytes encoded = he::rlp_encode(item);
  HEPEK_FUZZ_CHECK(
      encoded.size() == input.size() && std::equal(encoded.begin(), encoded.end(), input.begin()),
      "a decoded RLP item re-encodes to its input");
}

void check_transaction(he::ByteView input) {
  he::SignedTransaction signed_tx;
  try {
    signed_tx = he::decode_raw_transaction(input);
  } catch (const he::RlpError&) {
    return;
  } catch (const he::SignatureError&) {
    return;
  }
  const he::Bytes raw = signed_tx.raw();
  HEPEK_FUZZ_CHECK(raw.size() == input.size() && std::equal(raw.begin(), raw.end(), input.begin()),
                   "a decoded transaction re-encodes to its input");
  const he::Transaction again = he::transaction_from_json(he::transaction_to_json(signed_tx.tx));
  HEPEK_FUZZ_CHECK(again == signed_tx.tx, "a decoded transaction survives its JSON form");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const he::ByteView input(data, size);
  check_item(input);
  check_transaction(input);
  return 0;
}
