// Quoting outside input in error replies and log lines: short, and always valid UTF-8.
//
// Contract: header-only, pure functions, thread-safe, never throw. quote_prefix(text, limit) is `text` when it is
// at most `limit` bytes, else its first `limit` bytes (cut back to a UTF-8 character boundary) followed by
// "… (N bytes)"; bytes that are not valid UTF-8 come out as U+FFFD, so the result can always go into a JSON
// reply (nlohmann's dump() throws on invalid UTF-8). quote_json(value) is the same for a JSON value's text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hepek {

inline constexpr std::size_t kQuotedPrefix = 200;

namespace detail {
// Length of the valid UTF-8 sequence starting at text[i], or 0 when none starts there (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF).
inline std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  return length;
}
}  // namespace detail

// `text` with every byte that does not belong to a valid UTF-8 sequence replaced by U+FFFD.
inline std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = detail::utf8_sequence(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

inline std::string quote_prefix(std::string_view text, std::size_t limit = kQuotedPrefix) {
  if (text.size() <= limit) return valid_utf8(text);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return valid_utf8(text.substr(0, cut)) + "\xE2\x80\xA6 (" + std::to_string(text.size()) + " bytes)";
}

// A JSON value as quoted in an error message: its serialisation, shortened by quote_prefix().
inline std::string quote_json(const nlohmann::json& value, std::size_t limit = kQuotedPrefix) {
  return quote_prefix(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), limit);
}

}  // namespace hepek
