#include "hepek/eth/eip712.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "hepek/eth/abi.hpp"
#include "hepek/eth/keccak.hpp"
#include "hepek/eth/transaction_json.hpp"

namespace hepek::eth {

namespace {

constexpr std::string_view kDomainType =
    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";

std::string strip_array_suffix(const std::string& type) {
  const std::size_t bracket = type.find('[');
  return bracket == std::string::npos ? type : type.substr(0, bracket);
}

}  // namespace

Bytes32 hash_struct_words(const Bytes32& type_hash, std::span<const Bytes32> words) {
  Bytes preimage;
  preimage.reserve(32 * (words.size() + 1));
  preimage.insert(preimage.end(), type_hash.begin(), type_hash.end());
  for (const auto& word : words) preimage.insert(preimage.end(), word.begin(), word.end());
  return keccak256(preimage);
}

Bytes32 domain_separator(const Eip712Domain& domain) {
  static const Bytes32 type_hash = keccak256_text(kDomainType);
  const Bytes32 words[] = {keccak256_text(domain.name), keccak256_text(domain.version),
                           to_be32(domain.chain_id), domain.verifying_contract.to_word()};
  return hash_struct_words(type_hash, words);
}

Bytes32 typed_data_digest(const Bytes32& domain_separator, const Bytes32& struct_hash) {
  std::array<std::uint8_t, 66> preimage;
  preimage[0] = 0x19;
  preimage[1] = 0x01;
  std::copy(domain_separator.begin(), domain_separator.end(), preimage.begin() + 2);
  std::copy(struct_hash.begin(), struct_hash.end(), preimage.begin() + 34);
  return keccak256(preimage);
}

Eip712Types Eip712Types::from_json(const nlohmann::json& types) {
  if (!types.is_object())
    throw std::invalid_argument("EIP-712 types: expected an object of struct definitions");
  Eip712Types result;
  for (const auto& [name, fields] : types.items()) {
    if (name == "EIP712Domain") continue;
    if (!fields.is_array())
      throw std::invalid_argument(fmt::format("EIP-712 types.{}: expected an array", name));
    std::vector<Eip712Field> parsed;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const auto& field = fields[i];
      if (!field.is_object() || !field.contains("name") || !field.contains("type") ||
          !field["name"].is_string() || !field["type"].is_string())
        throw std::invalid_argument(
            fmt::format("EIP-712 types.{}[{}]: expected {{\"name\", \"type\"}}", name, i));
      parsed.push_back({field["name"].get<std::string>(), field["type"].get<std::string>()});
    }
    result.add(name, std::move(parsed));
  }
  return result;
}

void Eip712Types::add(std::string name, std::vector<Eip712Field> fields) {
  structs_[std::move(name)] = std::move(fields);
}

void Eip712Types::collect_dependencies(const std::string& type, std::vector<std::string>& found) const {
  const std::string base = strip_array_suffix(type);
  const auto it = structs_.find(base);
  if (it == structs_.end() || std::find(found.begin(), found.end(), base) != found.end()) return;
  found.push_back(base);
  for (const auto& field : it->second) collect_dependencies(field.type, found);
}

std::string Eip712Types::encode_type(const std::string& primary) const {
  if (!structs_.contains(primary))
    throw std::invalid_argument(fmt::format("EIP-712: unknown struct type '{}'", primary));
  std::vector<std::string> dependencies;
  collect_dependencies(primary, dependencies);
  std::sort(dependencies.begin() + 1, dependencies.end());  // the primary type stays first
  std::string out;
  for (const auto& name : dependencies) {
    out += name + "(";
    const auto& fields = structs_.at(name);
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i) out += ',';
      out += fields[i].type;
      out += ' ';
      out += fields[i].name;
    }
    out += ")";
  }
  return out;
}

Bytes32 Eip712Types::type_hash(const std::string& primary) const {
  return keccak256_text(encode_type(primary));
}

Bytes Eip712Types::encode_data(const std::string& primary, const nlohmann::json& message) const {
  const auto it = structs_.find(primary);
  if (it == structs_.end())
    throw std::invalid_argument(fmt::format("EIP-712: unknown struct type '{}'", primary));
  if (!message.is_object())
    throw std::invalid_argument(fmt::format("EIP-712 {}: expected an object", primary));
  const Bytes32 type_hash_value = type_hash(primary);
  Bytes out(type_hash_value.begin(), type_hash_value.end());
  for (const auto& field : it->second) {
    if (!message.contains(field.name))
      throw std::invalid_argument(fmt::format("EIP-712 {}.{}: missing field", primary, field.name));
    const Bytes32 word =
        encode_value(field.type, message[field.name], fmt::format("{}.{}", primary, field.name));
    out.insert(out.end(), word.begin(), word.end());
  }
  return out;
}

Bytes32 Eip712Types::hash_struct(const std::string& primary, const nlohmann::json& message) const {
  return keccak256(encode_data(primary, message));
}

Bytes32 Eip712Types::encode_value(const std::string& type, const nlohmann::json& value,
                                  const std::string& path) const {
  auto need_string = [&]() -> std::string {
    if (!value.is_string())
      throw std::invalid_argument(fmt::format("EIP-712 {}: expected a string for {}", path, type));
    return value.get<std::string>();
  };
  if (!type.empty() && type.back() == ']') {
    if (!value.is_array())
      throw std::invalid_argument(fmt::format("EIP-712 {}: expected an array for {}", path, type));
    const std::size_t open = type.rfind('[');
    const std::string element = type.substr(0, open);
    const std::string length = type.substr(open + 1, type.size() - open - 2);
    if (!length.empty() && std::to_string(value.size()) != length)
      throw std::invalid_argument(
          fmt::format("EIP-712 {}: {} needs {} elements, got {}", path, type, length, value.size()));
    Bytes concatenated;
    for (std::size_t i = 0; i < value.size(); ++i) {
      const Bytes32 word = encode_value(element, value[i], fmt::format("{}[{}]", path, i));
      concatenated.insert(concatenated.end(), word.begin(), word.end());
    }
    return keccak256(concatenated);
  }
  if (structs_.contains(type)) return hash_struct(type, value);
  if (type == "string") return keccak256_text(need_string());
  if (type == "bytes") return keccak256(from_hex(need_string(), path));
  if (type == "bool") {
    if (!value.is_boolean())
      throw std::invalid_argument(fmt::format("EIP-712 {}: expected true or false", path));
    return to_be32(value.get<bool>() ? 1 : 0);
  }
  if (type == "address") return Address::parse(need_string(), path).to_word();
  const AbiType abi_type = AbiType::parse(type);  // uintN / bytesN; throws for anything else
  if (abi_type.kind == AbiType::Kind::uint) {
    const uint256 number = json_to_uint256(value, path);
    if (abi_type.size < 256 && (number >> abi_type.size) != 0)
      throw std::invalid_argument(
          fmt::format("EIP-712 {}: {} does not fit in {}", path, to_decimal(number), type));
    return to_be32(number);
  }
  if (abi_type.kind == AbiType::Kind::fixed_bytes) {
    const Bytes data = from_hex(need_string(), path);
    if (data.size() != abi_type.size)
      throw std::invalid_argument(
          fmt::format("EIP-712 {}: {} needs {} bytes, got {}", path, type, abi_type.size, data.size()));
    Bytes32 word{};
    std::copy(data.begin(), data.end(), word.begin());
    return word;
  }
  throw std::invalid_argument(fmt::format("EIP-712 {}: unsupported type '{}'", path, type));
}

}  // namespace hepek::eth
