#include "hepek/eth/abi.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include <fmt/format.h>

#include "hepek/eth/keccak.hpp"

namespace hepek::eth {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// Splits at commas that are not inside parentheses.
std::vector<std::string_view> split_top_level(std::string_view text) {
  std::vector<std::string_view> parts;
  if (trim(text).empty()) return parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(')
      ++depth;
    else if (text[i] == ')')
      --depth;
    else if (text[i] == ',' && depth == 0) {
      parts.push_back(trim(text.substr(start, i - start)));
      start = i + 1;
    }
    if (depth < 0) throw std::invalid_argument(fmt::format("ABI: unbalanced ')' in '{}'", text));
  }
  if (depth != 0) throw std::invalid_argument(fmt::format("ABI: unbalanced '(' in '{}'", text));
  parts.push_back(trim(text.substr(start)));
  return parts;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

unsigned parse_small(std::string_view digits, std::string_view type) {
  if (!all_digits(digits) || digits.size() > 4 || (digits.size() > 1 && digits[0] == '0'))
    throw std::invalid_argument(fmt::format("ABI: invalid size in type '{}'", type));
  unsigned value = 0;
  for (char c : digits) value = value * 10 + static_cast<unsigned>(c - '0');
  return value;
}

Bytes32 word_of(const uint256& value) {
  return to_be32(value);
}

void append(Bytes& out, const Bytes32& word) {
  out.insert(out.end(), word.begin(), word.end());
}

void append_padded(Bytes& out, const Bytes& data) {
  out.insert(out.end(), data.begin(), data.end());
  out.insert(out.end(), (32 - data.size() % 32) % 32, 0);
}

Bytes encode_tuple(const std::vector<AbiType>& types, const std::vector<AbiValue>& values,
                   const std::string& path);

Bytes encode_one(const AbiType& type, const AbiValue& value, const std::string& path) {
  Bytes out;
  try {
    switch (type.kind) {
      case AbiType::Kind::uint: {
        const uint256& number = value.as_uint();
        if (type.size < 256 && (number >> type.size) != 0)
          throw std::invalid_argument(
              fmt::format("{} does not fit in {}", to_decimal(number), type.canonical()));
        append(out, word_of(number));
        break;
      }
      case AbiType::Kind::address:
        append(out, value.as_address().to_word());
        break;
      case AbiType::Kind::boolean:
        append(out, word_of(value.as_bool() ? 1 : 0));
        break;
      case AbiType::Kind::fixed_bytes: {
        const Bytes& data = value.as_bytes();
        if (data.size() != type.size)
          throw std::invalid_argument(
              fmt::format("{} needs exactly {} bytes, got {}", type.canonical(), type.size, data.size()));
        append_padded(out, data);
        break;
      }
      case AbiType::Kind::bytes: {
        const Bytes& data = value.as_bytes();
        append(out, word_of(data.size()));
        append_padded(out, data);
        break;
      }
      case AbiType::Kind::string: {
        const std::string& text = value.as_string();
        append(out, word_of(text.size()));
        append_padded(out, Bytes(text.begin(), text.end()));
        break;
      }
      case AbiType::Kind::array: {
        const auto& elements = value.as_array();
        append(out, word_of(elements.size()));
        const Bytes body =
            encode_tuple(std::vector<AbiType>(elements.size(), type.components[0]), elements, path);
        out.insert(out.end(), body.begin(), body.end());
        break;
      }
      case AbiType::Kind::fixed_array: {
        const auto& elements = value.as_array();
        if (elements.size() != type.length)
          throw std::invalid_argument(
              fmt::format("{} needs {} elements, got {}", type.canonical(), type.length, elements.size()));
        out = encode_tuple(std::vector<AbiType>(elements.size(), type.components[0]), elements, path);
        break;
      }
      case AbiType::Kind::tuple: {
        const auto& members = value.as_array();
        if (members.size() != type.components.size())
          throw std::invalid_argument(fmt::format("{} needs {} members, got {}", type.canonical(),
                                                  type.components.size(), members.size()));
        out = encode_tuple(type.components, members, path);
        break;
      }
    }
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    if (message.rfind("ABI ", 0) == 0) throw;  // already carries the innermost path
    throw std::invalid_argument(fmt::format("ABI {} ({}): {}", path, type.canonical(), message));
  }
  return out;
}

Bytes encode_tuple(const std::vector<AbiType>& types, const std::vector<AbiValue>& values,
                   const std::string& path) {
  if (types.size() != values.size())
    throw std::invalid_argument(
        fmt::format("ABI {}: {} types but {} values", path, types.size(), values.size()));
  std::size_t head_total = 0;
  for (const auto& type : types) head_total += type.head_size();
  Bytes head;
  Bytes tail;
  for (std::size_t i = 0; i < types.size(); ++i) {
    const std::string item_path = fmt::format("{}[{}]", path, i);
    Bytes encoded = encode_one(types[i], values[i], item_path);
    if (types[i].is_dynamic()) {
      append(head, word_of(head_total + tail.size()));
      tail.insert(tail.end(), encoded.begin(), encoded.end());
    } else {
      head.insert(head.end(), encoded.begin(), encoded.end());
    }
  }
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

class Reader {
 public:
  explicit Reader(ByteView data) : data_(data) {}

  std::vector<AbiValue> tuple(const std::vector<AbiType>& types, std::size_t base, const std::string& path) {
    if (base > data_.size())
      fail(path, fmt::format("starts at {} beyond the data ({} bytes)", base, data_.size()));
    std::vector<AbiValue> values;
    values.reserve(types.size());
    std::size_t head = base;
    for (std::size_t i = 0; i < types.size(); ++i) {
      const std::string item_path = fmt::format("{}[{}]", path, i);
      if (types[i].is_dynamic()) {
        const std::size_t offset = size_at(head, item_path + " offset");
        if (offset > data_.size() - base)
          fail(item_path, fmt::format("offset {} points past the data", offset));
        values.push_back(one(types[i], base + offset, item_path));
      } else {
        values.push_back(one(types[i], head, item_path));
      }
      head += types[i].head_size();
    }
    return values;
  }

  AbiValue one(const AbiType& type, std::size_t pos, const std::string& path) {
    switch (type.kind) {
      case AbiType::Kind::uint: {
        const uint256 value = from_be(word(pos, path));
        if (type.size < 256 && (value >> type.size) != 0)
          fail(path, fmt::format("value does not fit in {}", type.canonical()));
        return AbiValue::uint(value);
      }
      case AbiType::Kind::address: {
        const Bytes32 w = word(pos, path);
        if (std::any_of(w.begin(), w.begin() + 12, [](std::uint8_t b) { return b != 0; }))
          fail(path, "address has non-zero high bytes");
        return AbiValue::address(Address::from_word(w));
      }
      case AbiType::Kind::boolean: {
        const Bytes32 w = word(pos, path);
        const uint256 value = from_be(w);
        if (value > 1) fail(path, "bool is neither 0 nor 1");
        return AbiValue::boolean(value == 1);
      }
      case AbiType::Kind::fixed_bytes: {
        const Bytes32 w = word(pos, path);
        if (std::any_of(w.begin() + type.size, w.end(), [](std::uint8_t b) { return b != 0; }))
          fail(path, fmt::format("{} has non-zero padding", type.canonical()));
        return AbiValue::bytes(Bytes(w.begin(), w.begin() + type.size));
      }
      case AbiType::Kind::bytes:
      case AbiType::Kind::string: {
        const std::size_t length = size_at(pos, path + " length");
        const std::size_t start = pos + 32;
        if (length > data_.size() - start) fail(path, fmt::format("length {} runs past the data", length));
        const auto first = data_.begin() + static_cast<std::ptrdiff_t>(start);
        const auto last = first + static_cast<std::ptrdiff_t>(length);
        if (type.kind == AbiType::Kind::bytes) return AbiValue::bytes(Bytes(first, last));
        return AbiValue::string(std::string(first, last));
      }
      case AbiType::Kind::array: {
        const std::size_t length = size_at(pos, path + " length");
        const std::size_t start = pos + 32;
        // Every element needs at least one 32-byte head slot: bound the count before allocating anything.
        if (length > (data_.size() - start) / 32)
          fail(path, fmt::format("array length {} exceeds the data", length));
        return AbiValue::array(tuple(std::vector<AbiType>(length, type.components[0]), start, path));
      }
      case AbiType::Kind::fixed_array:
        return AbiValue::array(tuple(std::vector<AbiType>(type.length, type.components[0]), pos, path));
      case AbiType::Kind::tuple:
        return AbiValue::array(tuple(type.components, pos, path));
    }
    fail(path, "unknown type");
  }

 private:
  Bytes32 word(std::size_t pos, const std::string& path) const {
    if (pos > data_.size() || data_.size() - pos < 32)
      fail(path, fmt::format("needs 32 bytes at offset {} but the data has {}", pos, data_.size()));
    Bytes32 out;
    std::copy(data_.begin() + static_cast<std::ptrdiff_t>(pos),
              data_.begin() + static_cast<std::ptrdiff_t>(pos + 32), out.begin());
    return out;
  }

  std::size_t size_at(std::size_t pos, const std::string& path) const {
    const uint256 value = from_be(word(pos, path));
    if (value > data_.size())
      fail(path, fmt::format("{} is larger than the data ({} bytes)", to_decimal(value), data_.size()));
    return static_cast<std::size_t>(value);
  }

  [[noreturn]] void fail(const std::string& path, const std::string& why) const {
    throw AbiError(fmt::format("ABI decode {}: {}", path, why));
  }

  ByteView data_;
};

}  // namespace

AbiType AbiType::parse(std::string_view text) {
  text = trim(text);
  if (text.empty()) throw std::invalid_argument("ABI: empty type");
  AbiType type;
  if (text.back() == ']') {
    const std::size_t open = text.rfind('[');
    if (open == std::string_view::npos)
      throw std::invalid_argument(fmt::format("ABI: unbalanced ']' in '{}'", text));
    const std::string_view inside = text.substr(open + 1, text.size() - open - 2);
    type.components.push_back(parse(text.substr(0, open)));
    if (inside.empty()) {
      type.kind = Kind::array;
    } else {
      type.kind = Kind::fixed_array;
      type.length = parse_small(inside, text);
      if (type.length == 0) throw std::invalid_argument(fmt::format("ABI: zero-length array in '{}'", text));
    }
    return type;
  }
  if (text.front() == '(') {
    if (text.back() != ')') throw std::invalid_argument(fmt::format("ABI: unbalanced '(' in '{}'", text));
    type.kind = Kind::tuple;
    type.components = parse_list(text.substr(1, text.size() - 2));
    return type;
  }
  if (text == "address") {
    type.kind = Kind::address;
    return type;
  }
  if (text == "bool") {
    type.kind = Kind::boolean;
    return type;
  }
  if (text == "string") {
    type.kind = Kind::string;
    return type;
  }
  if (text == "bytes") {
    type.kind = Kind::bytes;
    return type;
  }
  if (text == "uint") {
    type.kind = Kind::uint;
    type.size = 256;
    return type;
  }
  if (text.rfind("uint", 0) == 0) {
    type.kind = Kind::uint;
    type.size = parse_small(text.substr(4), text);
    if (type.size == 0 || type.size > 256 || type.size % 8 != 0)
      throw std::invalid_argument(fmt::format("ABI: '{}' is not a valid uint size", text));
    return type;
  }
  if (text.rfind("bytes", 0) == 0) {
    type.kind = Kind::fixed_bytes;
    type.size = parse_small(text.substr(5), text);
    if (type.size == 0 || type.size > 32)
      throw std::invalid_argument(fmt::format("ABI: '{}' is not valid", text));
    return type;
  }
  if (text.rfind("int", 0) == 0)
    throw std::invalid_argument(fmt::format("ABI: signed type '{}' is not supported", text));
  throw std::invalid_argument(fmt::format("ABI: unknown type '{}'", text));
}

std::vector<AbiType> AbiType::parse_list(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '(' && text.back() == ')') {
    // Only strip when the outer parentheses enclose the whole list.
    int depth = 0;
    bool encloses = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
      depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
      if (depth == 0 && i + 1 < text.size()) encloses = false;
    }
    if (encloses) text = text.substr(1, text.size() - 2);
  }
  std::vector<AbiType> types;
  for (const auto part : split_top_level(text)) types.push_back(parse(part));
  return types;
}

std::string AbiType::canonical() const {
  switch (kind) {
    case Kind::uint:
      return fmt::format("uint{}", size);
    case Kind::address:
      return "address";
    case Kind::boolean:
      return "bool";
    case Kind::fixed_bytes:
      return fmt::format("bytes{}", size);
    case Kind::bytes:
      return "bytes";
    case Kind::string:
      return "string";
    case Kind::array:
      return components[0].canonical() + "[]";
    case Kind::fixed_array:
      return fmt::format("{}[{}]", components[0].canonical(), length);
    case Kind::tuple: {
      std::string out = "(";
      for (std::size_t i = 0; i < components.size(); ++i) {
        if (i) out += ',';
        out += components[i].canonical();
      }
      return out + ")";
    }
  }
  return "?";
}

bool AbiType::is_dynamic() const {
  switch (kind) {
    case Kind::bytes:
    case Kind::string:
    case Kind::array:
      return true;
    case Kind::fixed_array:
      return components[0].is_dynamic();
    case Kind::tuple:
      return std::any_of(components.begin(), components.end(),
                         [](const AbiType& t) { return t.is_dynamic(); });
    default:
      return false;
  }
}

std::size_t AbiType::head_size() const {
  if (is_dynamic()) return 32;
  if (kind == Kind::fixed_array) return length * components[0].head_size();
  if (kind == Kind::tuple) {
    std::size_t total = 0;
    for (const auto& component : components) total += component.head_size();
    return total;
  }
  return 32;
}

namespace {
template <std::size_t Index>
const auto& get_or_throw(const auto& storage, const char* wanted) {
  static constexpr const char* names[] = {"uint", "address", "bool", "bytes", "string", "array/tuple"};
  if (storage.index() != Index)
    throw std::invalid_argument(fmt::format("value is a {}, not a {}", names[storage.index()], wanted));
  return std::get<Index>(storage);
}
}  // namespace

const uint256& AbiValue::as_uint() const {
  return get_or_throw<0>(value_, "uint");
}
std::uint64_t AbiValue::as_uint64() const {
  const uint256& value = as_uint();
  if (value > std::numeric_limits<std::uint64_t>::max())
    throw std::invalid_argument(fmt::format("value {} does not fit in 64 bits", to_decimal(value)));
  return static_cast<std::uint64_t>(value);
}
const Address& AbiValue::as_address() const {
  return get_or_throw<1>(value_, "address");
}
bool AbiValue::as_bool() const {
  return get_or_throw<2>(value_, "bool");
}
const Bytes& AbiValue::as_bytes() const {
  return get_or_throw<3>(value_, "bytes");
}
Bytes32 AbiValue::as_bytes32() const {
  const Bytes& data = as_bytes();
  if (data.size() != 32) throw std::invalid_argument(fmt::format("value has {} bytes, not 32", data.size()));
  Bytes32 out;
  std::copy(data.begin(), data.end(), out.begin());
  return out;
}
const std::string& AbiValue::as_string() const {
  return get_or_throw<4>(value_, "string");
}
const AbiValue::Array& AbiValue::as_array() const {
  return get_or_throw<5>(value_, "array");
}

Bytes abi_encode(const std::vector<AbiType>& types, const std::vector<AbiValue>& values) {
  return encode_tuple(types, values, "argument");
}

std::vector<AbiValue> abi_decode(const std::vector<AbiType>& types, ByteView data) {
  Reader reader(data);
  return reader.tuple(types, 0, "value");
}

AbiSignature AbiSignature::parse(std::string_view text) {
  text = trim(text);
  const std::size_t open = text.find('(');
  if (open == std::string_view::npos || text.back() != ')')
    throw std::invalid_argument(fmt::format("ABI: '{}' is not a signature name(type,...)", text));
  AbiSignature signature;
  signature.name = std::string(trim(text.substr(0, open)));
  if (signature.name.empty()) throw std::invalid_argument(fmt::format("ABI: '{}' has no name", text));
  for (const auto param : split_top_level(text.substr(open + 1, text.size() - open - 2))) {
    // "type [indexed] [name]": the type is everything up to the first space outside parentheses.
    std::size_t end = 0;
    int depth = 0;
    while (end < param.size() && (depth > 0 || !std::isspace(static_cast<unsigned char>(param[end])))) {
      depth += param[end] == '(' ? 1 : param[end] == ')' ? -1 : 0;
      ++end;
    }
    if (end == 0) throw std::invalid_argument(fmt::format("ABI: empty parameter in '{}'", text));
    signature.inputs.push_back(AbiType::parse(param.substr(0, end)));
    const std::string_view rest = trim(param.substr(end));
    signature.indexed.push_back(rest == "indexed" || rest.rfind("indexed ", 0) == 0);
  }
  return signature;
}

std::string AbiSignature::canonical() const {
  std::string out = name + "(";
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (i) out += ',';
    out += inputs[i].canonical();
  }
  return out + ")";
}

std::array<std::uint8_t, 4> function_selector(std::string_view signature) {
  const Bytes32 hash = keccak256_text(AbiSignature::parse(signature).canonical());
  return {hash[0], hash[1], hash[2], hash[3]};
}

Bytes32 event_topic(std::string_view signature) {
  return keccak256_text(AbiSignature::parse(signature).canonical());
}

Bytes encode_call(std::string_view signature, const std::vector<AbiValue>& args) {
  const AbiSignature parsed = AbiSignature::parse(signature);
  const Bytes32 hash = keccak256_text(parsed.canonical());
  Bytes out(hash.begin(), hash.begin() + 4);
  const Bytes encoded = abi_encode(parsed.inputs, args);
  out.insert(out.end(), encoded.begin(), encoded.end());
  return out;
}

std::vector<AbiValue> decode_log(std::string_view event_signature, const Log& log) {
  const AbiSignature signature = AbiSignature::parse(event_signature);
  const Bytes32 topic0 = keccak256_text(signature.canonical());
  if (log.topics.empty() || log.topics[0] != topic0)
    throw AbiError(fmt::format("log is not a {} event (topic0 mismatch)", signature.canonical()));
  const auto indexed_count =
      static_cast<std::size_t>(std::count(signature.indexed.begin(), signature.indexed.end(), true));
  if (log.topics.size() != indexed_count + 1)
    throw AbiError(fmt::format("{} expects {} topics, the log has {}", signature.canonical(),
                               indexed_count + 1, log.topics.size()));
  std::vector<AbiType> data_types;
  for (std::size_t i = 0; i < signature.inputs.size(); ++i)
    if (!signature.indexed[i]) data_types.push_back(signature.inputs[i]);
  const std::vector<AbiValue> data_values = abi_decode(data_types, log.data);

  std::vector<AbiValue> values;
  std::size_t next_topic = 1;
  std::size_t next_data = 0;
  for (std::size_t i = 0; i < signature.inputs.size(); ++i) {
    const AbiType& type = signature.inputs[i];
    if (!signature.indexed[i]) {
      values.push_back(data_values[next_data++]);
      continue;
    }
    const Bytes32& topic = log.topics[next_topic++];
    const bool hashed =
        type.is_dynamic() || type.kind == AbiType::Kind::tuple || type.kind == AbiType::Kind::fixed_array;
    if (hashed) {
      values.push_back(AbiValue::bytes32(topic));
    } else {
      values.push_back(abi_decode({type}, topic)[0]);
    }
  }
  return values;
}

}  // namespace hepek::eth
