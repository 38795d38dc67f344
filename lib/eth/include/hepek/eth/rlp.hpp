// Recursive Length Prefix encoding (Ethereum yellow paper, appendix B) with a strict decoder.
//
// Contract: rlp_encode() produces the canonical encoding. rlp_decode() accepts only canonical encodings of
// exactly one item and throws RlpError (with the byte offset) for: truncated input, trailing bytes, a single
// byte < 0x80 wrapped as a string, long-form lengths for payloads under 56 bytes, length fields with leading
// zeros, lengths that overflow or exceed the input, and nesting deeper than 256 lists. RlpItem::as_uint()
// additionally rejects leading zero bytes and values wider than 256 bits — integers have exactly one
// encoding.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "hepek/eth/hex.hpp"
#include "hepek/eth/uint256.hpp"

namespace hepek::eth {

class RlpError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RlpItem {
  bool is_list = false;
  Bytes bytes;                 // payload when !is_list
  std::vector<RlpItem> items;  // children when is_list

  static RlpItem string(Bytes payload);
  static RlpItem text(std::string_view text);
  static RlpItem uint(const uint256& value);
  static RlpItem list(std::vector<RlpItem> children);

  // Typed accessors; `what` names the field in errors ("tx.nonce").
  uint256 as_uint(std::string_view what = "integer") const;
  const Bytes& as_bytes(std::string_view what = "string") const;
  const std::vector<RlpItem>& as_list(std::string_view what = "list") const;

  bool operator==(const RlpItem&) const = default;
};

Bytes rlp_encode(const RlpItem& item);
RlpItem rlp_decode(ByteView encoded);

}  // namespace hepek::eth
