#include "point_codec.hpp"

#include <bit>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace hepek::sunspec {
namespace {

using Json = nlohmann::ordered_json;

uint64_t big_endian(std::span<const uint16_t> words, size_t count) {
  uint64_t value = 0;
  for (size_t i = 0; i < count; ++i) value = (value << 16) | words[i];
  return value;
}

void to_words(uint64_t value, size_t count, std::vector<uint16_t>& out) {
  for (size_t i = 0; i < count; ++i) out.push_back(static_cast<uint16_t>(value >> (16 * (count - 1 - i))));
}

Json finite_or_null(double value) {
  return std::isfinite(value) ? Json(value) : Json(nullptr);
}

std::string bytes_of(std::span<const uint16_t> words) {
  std::string bytes;
  bytes.reserve(words.size() * 2);
  for (const uint16_t word : words) {
    bytes.push_back(static_cast<char>(word >> 8));
    bytes.push_back(static_cast<char>(word & 0xFF));
  }
  return bytes;
}

}  // namespace

bool valid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t extra = 0;
    uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    const uint32_t minimum = extra == 1 ? 0x80 : extra == 2 ? 0x800 : 0x10000;
    if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

PointValue decode_point(const PointDefinition& point, std::span<const uint16_t> words) {
  PointValue out;
  const uint64_t u = words.size() <= 4 ? big_endian(words, words.size()) : 0;
  switch (point.type) {
    case PointType::int16:
    case PointType::sunssf: {
      const auto v = static_cast<int16_t>(u);
      if (v != std::numeric_limits<int16_t>::min()) out.value = v;
      break;
    }
    case PointType::uint16:
    case PointType::count:
    case PointType::enum16:
    case PointType::bitfield16:
      if (u != 0xFFFF) out.value = u;
      break;
    case PointType::acc16:
    case PointType::acc32:
    case PointType::acc64:
    case PointType::ipaddr:
      if (u == 0) break;
      if (point.type == PointType::ipaddr)
        out.value = fmt::format("{}.{}.{}.{}", (u >> 24) & 0xFF, (u >> 16) & 0xFF, (u >> 8) & 0xFF, u & 0xFF);
      else
        out.value = u;
      break;
    case PointType::pad:
      out.value = u;
      break;
    case PointType::int32: {
      const auto v = static_cast<int32_t>(static_cast<uint32_t>(u));
      if (v != std::numeric_limits<int32_t>::min()) out.value = v;
      break;
    }
    case PointType::uint32:
    case PointType::enum32:
    case PointType::bitfield32:
      if (u != 0xFFFFFFFFu) out.value = u;
      break;
    case PointType::int64: {
      const auto v = static_cast<int64_t>(u);
      if (v != std::numeric_limits<int64_t>::min()) out.value = v;
      break;
    }
    case PointType::uint64:
      if (u != std::numeric_limits<uint64_t>::max()) out.value = u;
      break;
    case PointType::float32:
      out.value = finite_or_null(std::bit_cast<float>(static_cast<uint32_t>(u)));
      break;
    case PointType::float64:
      out.value = finite_or_null(std::bit_cast<double>(u));
      break;
    case PointType::eui48: {
      const uint64_t mac = u & 0xFFFFFFFFFFFFull;
      if (u == 0 || mac == 0xFFFFFFFFFFFFull) break;
      out.value =
          fmt::format("{:02X}:{:02X}:{:02X}:{:02X}:{:02X}:{:02X}", (mac >> 40) & 0xFF, (mac >> 32) & 0xFF,
                      (mac >> 24) & 0xFF, (mac >> 16) & 0xFF, (mac >> 8) & 0xFF, mac & 0xFF);
      break;
    }
    case PointType::ipv6addr: {
      bool any = false;
      for (const uint16_t w : words) any |= w != 0;
      if (!any) break;
      std::string text;
      for (size_t i = 0; i < words.size(); ++i) text += fmt::format("{}{:04x}", i ? ":" : "", words[i]);
      out.value = text;
      break;
    }
    case PointType::string: {
      std::string bytes = bytes_of(words);
      if (bytes.empty() || bytes[0] == '\0') break;
      if (const size_t nul = bytes.find('\0'); nul != std::string::npos) bytes.resize(nul);
      if (!valid_utf8(bytes)) {
        out.error = fmt::format("{}: not UTF-8 text (first bytes {:02X} {:02X})", point.name,
                                static_cast<unsigned char>(bytes[0]),
                                static_cast<unsigned char>(bytes.size() > 1 ? bytes[1] : 0));
        break;
      }
      out.value = std::move(bytes);
      break;
    }
  }
  return out;
}

std::vector<uint16_t> unimplemented_words(const PointDefinition& point) {
  std::vector<uint16_t> out;
  switch (point.type) {
    case PointType::int16:
    case PointType::sunssf:
      out.push_back(0x8000);
      break;
    case PointType::uint16:
    case PointType::count:
    case PointType::enum16:
    case PointType::bitfield16:
      out.push_back(0xFFFF);
      break;
    case PointType::int32:
      to_words(0x80000000u, 2, out);
      break;
    case PointType::uint32:
    case PointType::enum32:
    case PointType::bitfield32:
      to_words(0xFFFFFFFFu, 2, out);
      break;
    case PointType::int64:
      to_words(0x8000000000000000ull, 4, out);
      break;
    case PointType::uint64:
      to_words(std::numeric_limits<uint64_t>::max(), 4, out);
      break;
    case PointType::float32:
      to_words(0x7FC00000u, 2, out);
      break;
    case PointType::float64:
      to_words(0x7FF8000000000000ull, 4, out);
      break;
    default:  // acc*, ipaddr, ipv6addr, eui48, string, pad: all zero
      out.assign(point.size, 0);
      break;
  }
  out.resize(point.size, 0);
  return out;
}

Result<std::vector<uint16_t>> encode_point(const PointDefinition& point,
                                           const nlohmann::ordered_json& value) {
  using R = Result<std::vector<uint16_t>>;
  if (value.is_null()) return R::success(unimplemented_words(point));
  const auto wrong = [&](const char* what) {
    return R::failure(
        fmt::format("{} ({}): {} {}", point.name, point_type_name(point.type), what, value.dump()));
  };
  std::vector<uint16_t> out;
  const size_t n = point.size;
  if (point.type == PointType::string) {
    if (!value.is_string()) return wrong("not a string:");
    const std::string text = value.get<std::string>();
    if (text.size() > n * 2) return wrong("longer than the point:");
    for (size_t i = 0; i < n; ++i) {
      const auto hi = static_cast<unsigned char>(2 * i < text.size() ? text[2 * i] : 0);
      const auto lo = static_cast<unsigned char>(2 * i + 1 < text.size() ? text[2 * i + 1] : 0);
      out.push_back(static_cast<uint16_t>((hi << 8) | lo));
    }
    return R::success(out);
  }
  if (point.type == PointType::float32 || point.type == PointType::float64) {
    if (!value.is_number()) return wrong("not a number:");
    if (point.type == PointType::float32)
      to_words(std::bit_cast<uint32_t>(value.get<float>()), 2, out);
    else
      to_words(std::bit_cast<uint64_t>(value.get<double>()), 4, out);
    return R::success(out);
  }
  if (point.type == PointType::eui48 || point.type == PointType::ipv6addr ||
      point.type == PointType::ipaddr) {
    if (!value.is_string()) return wrong("not a string:");
    const std::string text = value.get<std::string>();
    std::vector<uint64_t> parts;
    uint64_t part = 0;
    int digits = 0;
    const int base = point.type == PointType::ipaddr ? 10 : 16;
    for (const char c : text + (point.type == PointType::ipaddr ? "." : ":")) {
      if (c == (point.type == PointType::ipaddr ? '.' : ':')) {
        if (digits == 0) return wrong("malformed address");
        parts.push_back(part);
        part = 0;
        digits = 0;
        continue;
      }
      const int digit = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : 99;
      if (digit >= base || ++digits > 5) return wrong("malformed address");
      part = part * base + digit;
    }
    const size_t expected = point.type == PointType::ipaddr ? 4 : point.type == PointType::eui48 ? 6 : 8;
    const uint64_t limit = point.type == PointType::ipv6addr ? 0xFFFF : 0xFF;
    if (parts.size() != expected) return wrong("malformed address");
    uint64_t packed = 0;
    for (const uint64_t p : parts) {
      if (p > limit) return wrong("malformed address");
      if (point.type == PointType::ipv6addr)
        out.push_back(static_cast<uint16_t>(p));
      else
        packed = (packed << 8) | p;
    }
    if (point.type != PointType::ipv6addr) to_words(packed, n, out);
    return R::success(out);
  }
  if (!value.is_number_integer()) return wrong("not an integer:");
  const bool is_signed = point.type == PointType::int16 || point.type == PointType::sunssf ||
                         point.type == PointType::int32 || point.type == PointType::int64;
  const int bits = static_cast<int>(n) * 16;
  if (is_signed) {
    if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
      return wrong("out of range:");
    const auto v = value.get<int64_t>();
    if (bits < 64 && (v < -(int64_t{1} << (bits - 1)) || v >= (int64_t{1} << (bits - 1))))
      return wrong("out of range:");
    to_words(static_cast<uint64_t>(v), n, out);
  } else {
    if (!value.is_number_unsigned() && value.get<int64_t>() < 0) return wrong("negative:");
    const auto v = value.get<uint64_t>();
    if (bits < 64 && v >= (uint64_t{1} << bits)) return wrong("out of range:");
    to_words(v, n, out);
  }
  return R::success(out);
}

}  // namespace hepek::sunspec
