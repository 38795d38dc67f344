// EIP-712 typed structured data hashing.
//
// Contract:
// - domain_separator() hashes EIP712Domain(string name,string version,uint256 chainId,address
// verifyingContract).
// - typed_data_digest() = keccak256(0x19 0x01 || domainSeparator || hashStruct(message)) — the value that is
// signed.
// - Eip712Types describes structs at run time (as eth_signTypedData_v4 does): encode_type() orders referenced
// struct
//   types alphabetically after the primary type; hash_struct() encodes a JSON message (numbers as JSON
//   numbers or decimal/0x strings, addresses and bytes as hex strings, nested structs as objects, arrays as
//   arrays). Missing fields, unknown types and out-of-range values throw std::invalid_argument naming the
//   field path.
// - hash_struct_words() is the fast path for flat structs whose fields are already 32-byte words.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hepek/eth/address.hpp"
#include "hepek/eth/hex.hpp"
#include "hepek/eth/uint256.hpp"

namespace hepek::eth {

struct Eip712Domain {
  std::string name;
  std::string version;
  uint256 chain_id;
  Address verifying_contract;
};

Bytes32 domain_separator(const Eip712Domain& domain);
Bytes32 typed_data_digest(const Bytes32& domain_separator, const Bytes32& struct_hash);

struct Eip712Field {
  std::string name;
  std::string type;
};

class Eip712Types {
 public:
  Eip712Types() = default;
  // {"Mail": [{"name": "from", "type": "Person"}, ...], ...} as in eth_signTypedData_v4 (EIP712Domain is
  // ignored).
  static Eip712Types from_json(const nlohmann::json& types);

  void add(std::string name, std::vector<Eip712Field> fields);
  std::string encode_type(const std::string& primary) const;
  Bytes32 type_hash(const std::string& primary) const;
  Bytes encode_data(const std::string& primary, const nlohmann::json& message) const;
  Bytes32 hash_struct(const std::string& primary, const nlohmann::json& message) const;

 private:
  Bytes32 encode_value(const std::string& type, const nlohmann::json& value, const std::string& path) const;
  void collect_dependencies(const std::string& type, std::vector<std::string>& found) const;
  std::map<std::string, std::vector<Eip712Field>> structs_;
};

// keccak256(typeHash || word_1 || ... || word_n).
Bytes32 hash_struct_words(const Bytes32& type_hash, std::span<const Bytes32> words);

}  // namespace hepek::eth
