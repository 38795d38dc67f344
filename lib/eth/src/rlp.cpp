#include "hepek/eth/rlp.hpp"

#include <fmt/format.h>

namespace hepek::eth {

namespace {

constexpr std::size_t kMaxDepth = 256;

void append_length_prefix(Bytes& out, std::size_t length, std::uint8_t short_base, std::uint8_t long_base) {
  if (length < 56) {
    out.push_back(static_cast<std::uint8_t>(short_base + length));
    return;
  }
  const Bytes length_bytes = to_be_minimal(uint256(length));
  out.push_back(static_cast<std::uint8_t>(long_base + length_bytes.size()));
  out.insert(out.end(), length_bytes.begin(), length_bytes.end());
}

void encode_into(const RlpItem& item, Bytes& out) {
  if (!item.is_list) {
    if (item.bytes.size() == 1 && item.bytes[0] < 0x80) {
      out.push_back(item.bytes[0]);
      return;
    }
    append_length_prefix(out, item.bytes.size(), 0x80, 0xb7);
    out.insert(out.end(), item.bytes.begin(), item.bytes.end());
    return;
  }
  Bytes payload;
  for (const auto& child : item.items) encode_into(child, payload);
  append_length_prefix(out, payload.size(), 0xc0, 0xf7);
  out.insert(out.end(), payload.begin(), payload.end());
}

class Decoder {
 public:
  explicit Decoder(ByteView input) : input_(input) {}

  // Decodes one item starting at `pos` that must end at or before `end`; advances `pos` past it.
  RlpItem item(std::size_t& pos, std::size_t end, std::size_t depth) {
    if (depth > kMaxDepth) fail(pos, fmt::format("lists nested deeper than {}", kMaxDepth));
    if (pos >= end) fail(pos, "unexpected end of input");
    const std::uint8_t prefix = input_[pos];
    const std::size_t start = pos;
    if (prefix < 0x80) {
      ++pos;
      return RlpItem::string(Bytes{prefix});
    }
    if (prefix <= 0xbf) {
      const std::size_t length = payload_length(pos, end, prefix, 0x80, 0xb7);
      RlpItem result = RlpItem::string(Bytes(input_.begin() + static_cast<std::ptrdiff_t>(pos),
                                             input_.begin() + static_cast<std::ptrdiff_t>(pos + length)));
      if (length == 1 && result.bytes[0] < 0x80)
        fail(start,
             fmt::format("single byte 0x{:02x} must be encoded as itself, not as a string", result.bytes[0]));
      pos += length;
      return result;
    }
    const std::size_t length = payload_length(pos, end, prefix, 0xc0, 0xf7);
    const std::size_t list_end = pos + length;
    RlpItem result = RlpItem::list({});
    while (pos < list_end) result.items.push_back(item(pos, list_end, depth + 1));
    return result;
  }

 private:
  // Reads the length part of a string (base 0x80/0xb7) or list (0xc0/0xf7) header; leaves `pos` at the
  // payload.
  std::size_t payload_length(std::size_t& pos, std::size_t end, std::uint8_t prefix, std::uint8_t short_base,
                             std::uint8_t long_base) {
    const std::size_t start = pos;
    std::size_t length;
    if (prefix <= long_base) {
      length = prefix - short_base;
      pos += 1;
    } else {
      const std::size_t length_of_length = prefix - long_base;
      if (pos + 1 + length_of_length > end) fail(start, "length field runs past the end of input");
      if (input_[pos + 1] == 0) fail(start, "length field has a leading zero byte");
      if (length_of_length > sizeof(std::size_t)) fail(start, "length field is too large");
      length = 0;
      for (std::size_t i = 0; i < length_of_length; ++i) length = (length << 8) | input_[pos + 1 + i];
      if (length < 56) fail(start, fmt::format("long-form length used for a {}-byte payload", length));
      pos += 1 + length_of_length;
    }
    if (length > end - pos)
      fail(start, fmt::format("payload of {} bytes runs past the end of its container ({} bytes left)",
                              length, end - pos));
    return length;
  }

  [[noreturn]] void fail(std::size_t offset, const std::string& why) const {
    throw RlpError(fmt::format("RLP: {} at byte {}", why, offset));
  }

  ByteView input_;
};

}  // namespace

RlpItem RlpItem::string(Bytes payload) {
  RlpItem item;
  item.bytes = std::move(payload);
  return item;
}

RlpItem RlpItem::text(std::string_view text) {
  return string(Bytes(text.begin(), text.end()));
}

RlpItem RlpItem::uint(const uint256& value) {
  return string(to_be_minimal(value));
}

RlpItem RlpItem::list(std::vector<RlpItem> children) {
  RlpItem item;
  item.is_list = true;
  item.items = std::move(children);
  return item;
}

uint256 RlpItem::as_uint(std::string_view what) const {
  const Bytes& payload = as_bytes(what);
  if (payload.size() > 32) throw RlpError(fmt::format("RLP: {} is wider than 256 bits", what));
  if (!payload.empty() && payload[0] == 0)
    throw RlpError(fmt::format("RLP: {} has a leading zero byte (non-canonical integer)", what));
  return from_be(payload);
}

const Bytes& RlpItem::as_bytes(std::string_view what) const {
  if (is_list) throw RlpError(fmt::format("RLP: {} must be a string, found a list", what));
  return bytes;
}

const std::vector<RlpItem>& RlpItem::as_list(std::string_view what) const {
  if (!is_list) throw RlpError(fmt::format("RLP: {} must be a list, found a string", what));
  return items;
}

Bytes rlp_encode(const RlpItem& item) {
  Bytes out;
  encode_into(item, out);
  return out;
}

RlpItem rlp_decode(ByteView encoded) {
  if (encoded.empty()) throw RlpError("RLP: empty input");
  Decoder decoder(encoded);
  std::size_t pos = 0;
  RlpItem item = decoder.item(pos, encoded.size(), 0);
  if (pos != encoded.size())
    throw RlpError(
        fmt::format("RLP: {} trailing bytes after the item at byte {}", encoded.size() - pos, pos));
  return item;
}

}  // namespace hepek::eth
