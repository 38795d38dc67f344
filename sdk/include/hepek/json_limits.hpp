// JSON limits of the topic contract (sdk/docs/topics.md, "Limits"): at most kMaxDepth levels of nesting and
// kMaxBytes bytes for any JSON the hub or a plugin takes from outside (bus messages, CLI files).
//
// check() is a linear, non-recursive pre-scan of the bytes: it counts the nesting of [ and { outside strings and
// stops at the first level over the limit, so deep or huge input is refused before any recursive code (nlohmann's
// serializer, a plugin's own walk) touches it. It does not validate the JSON otherwise; parse_limited() does both.
//
// Contract: header-only, pure functions, thread-safe. Errors name the limit, the value found and the byte offset
// where it was exceeded, e.g. "JSON nesting deeper than 64 levels at byte 64 (of 200000)".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hepek/result.hpp"

namespace hepek::json_limits {

inline constexpr std::size_t kMaxDepth = 64;
// Equal to the embedded broker's message_size_limit (core/src/broker.cpp): 1 MiB.
inline constexpr std::size_t kMaxBytes = 1024 * 1024;

inline Status check(std::string_view text, std::size_t max_depth = kMaxDepth,
                    std::size_t max_bytes = kMaxBytes) {
  if (text.size() > max_bytes)
    return Status::failure("JSON of " + std::to_string(text.size()) + " bytes is larger than the limit of " +
                               std::to_string(max_bytes) + " bytes",
                           HEPEK_INVALID);
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;  // the escaped character cannot end the string
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth)
        return Status::failure("JSON nesting deeper than " + std::to_string(max_depth) + " levels at byte " +
                                   std::to_string(i) + " (of " + std::to_string(text.size()) + ")",
                               HEPEK_INVALID);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return Status::success();
}

// check(), then nlohmann's parser; the error names the limit or the parse error (position included).
inline Result<nlohmann::json> parse_limited(std::string_view text, std::size_t max_depth = kMaxDepth,
                                            std::size_t max_bytes = kMaxBytes) {
  if (const Status limits = check(text, max_depth, max_bytes); !limits)
    return Result<nlohmann::json>::failure(limits.error());
  try {
    return Result<nlohmann::json>::success(nlohmann::json::parse(text));
  } catch (const nlohmann::json::parse_error& error) {
    return Result<nlohmann::json>::failure(std::string("not valid JSON: ") + error.what());
  }
}

}  // namespace hepek::json_limits
