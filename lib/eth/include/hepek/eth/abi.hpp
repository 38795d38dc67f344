// Solidity contract ABI encoding and decoding (head/tail layout) for the types our contracts use:
// uint<N>, address, bool, bytes<N>, bytes, string, T[] and T[k] of those, and tuples "(T1,T2,...)".
//
// Contract:
// - AbiType::parse() reads a canonical type string and throws std::invalid_argument for anything else (int<N>
// is
//   deliberately unsupported: no contract here uses signed integers).
// - abi_encode() checks every value against its type (uint<N> range, bytes<N> length, array length) and
// throws
//   std::invalid_argument naming the argument index; abi_decode() bounds-checks every offset and length
//   against the input, rejects non-zero padding and out-of-range values, and throws AbiError — malformed
//   return data never reads out of bounds.
// - function_selector("transfer(address,uint256)") = first 4 bytes of keccak; event_topic(signature) = full
// keccak.
#pragma once

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "hepek/eth/address.hpp"
#include "hepek/eth/hex.hpp"
#include "hepek/eth/uint256.hpp"

namespace hepek::eth {

class AbiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct AbiType {
  enum class Kind { uint, address, boolean, fixed_bytes, bytes, string, array, fixed_array, tuple };
  Kind kind = Kind::uint;
  unsigned size = 256;              // bits for uint, bytes for fixed_bytes
  std::size_t length = 0;           // element count for fixed_array
  std::vector<AbiType> components;  // element type (arrays) or members (tuple)

  static AbiType parse(std::string_view text);
  // Parses "(uint256,address)" or "uint256,address" (the inside of a signature's parentheses) into a list.
  static std::vector<AbiType> parse_list(std::string_view text);
  std::string canonical() const;
  bool is_dynamic() const;
  std::size_t head_size() const;  // bytes this type occupies in the head of its enclosing tuple
};

class AbiValue {
 public:
  using Array = std::vector<AbiValue>;

  static AbiValue uint(const uint256& value) { return AbiValue(Storage(std::in_place_index<0>, value)); }
  static AbiValue address(const Address& value) { return AbiValue(Storage(std::in_place_index<1>, value)); }
  static AbiValue boolean(bool value) { return AbiValue(Storage(std::in_place_index<2>, value)); }
  static AbiValue bytes(Bytes value) { return AbiValue(Storage(std::in_place_index<3>, std::move(value))); }
  static AbiValue bytes32(const Bytes32& value) { return bytes(Bytes(value.begin(), value.end())); }
  static AbiValue string(std::string value) {
    return AbiValue(Storage(std::in_place_index<4>, std::move(value)));
  }
  // Arrays and tuples alike.
  static AbiValue array(Array values) { return AbiValue(Storage(std::in_place_index<5>, std::move(values))); }

  const uint256& as_uint() const;
  std::uint64_t as_uint64() const;
  const Address& as_address() const;
  bool as_bool() const;
  const Bytes& as_bytes() const;
  Bytes32 as_bytes32() const;
  const std::string& as_string() const;
  const Array& as_array() const;

  bool operator==(const AbiValue&) const = default;

 private:
  using Storage = std::variant<uint256, Address, bool, Bytes, std::string, Array>;
  explicit AbiValue(Storage value) : value_(std::move(value)) {}
  Storage value_;
};

Bytes abi_encode(const std::vector<AbiType>& types, const std::vector<AbiValue>& values);
std::vector<AbiValue> abi_decode(const std::vector<AbiType>& types, ByteView data);

// A parsed function or event signature "name(type,...)" (parameter names and `indexed` allowed for events).
struct AbiSignature {
  std::string name;
  std::vector<AbiType> inputs;
  std::vector<bool> indexed;      // events only; same length as inputs
  std::string canonical() const;  // "name(t1,t2)" without names or `indexed`
  static AbiSignature parse(std::string_view text);
};

std::array<std::uint8_t, 4> function_selector(std::string_view signature);
Bytes32 event_topic(std::string_view signature);

// selector || abi_encode(args) for a call to `signature`, e.g. encode_call("balanceOf(address)", {address}).
Bytes encode_call(std::string_view signature, const std::vector<AbiValue>& args);

// An event log as the node returns it.
struct Log {
  Address address;
  std::vector<Bytes32> topics;
  Bytes data;
  std::uint64_t block_number = 0;
  Bytes32 transaction_hash{};
  std::uint64_t log_index = 0;
};

// Decodes a log against an event signature such as "Transfer(address indexed from,address indexed to,uint256
// value)". Values come back in declaration order; an indexed dynamic value (string, bytes, arrays) comes back
// as its bytes32 topic hash. Throws AbiError if topic0 does not match the signature or the topics/data do not
// fit.
std::vector<AbiValue> decode_log(std::string_view event_signature, const Log& log);

}  // namespace hepek::eth
