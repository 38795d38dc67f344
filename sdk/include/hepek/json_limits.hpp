// JSON limits of the topic contract (sdk/docs/topics.md, "Limits"): at most kMaxDepth levels of nesting and
// kMaxBytes bytes for any JSON the hub or a plugin takes from outside (bus messages, CLI files).
//
// check() is a linear, non-recursive pre-scan of the bytes: it counts the nesting of [ and { outside strings and
// stops at the first level over the limit, so deep or huge input is refused before any recursive code (nlohmann's
// serializer, a plugin's own walk) touches it. It does not validate the JSON otherwise; parse_limited() does that
// too, and refuses NUL bytes and duplicate keys.
//
// Contract: header-only, pure functions, thread-safe. Errors name the limit, the value found and the byte offset
// where it was exceeded, e.g. "JSON nesting deeper than 64 levels at byte 64 (of 200000)".
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hepek/quote.hpp"
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

// The JSON text of outside input, parsed: NUL bytes refused (nlohmann stops at one and would accept
// `{"a":1}<NUL>anything`), then check(), then nlohmann's parser, then duplicate keys refused (nlohmann keeps the
// last of two equal keys; a second "to" or "setpoint_w" must not silently win). Errors name the problem and its
// place, quote at most a short prefix of the input and are valid UTF-8 (they go into JSON replies).
inline Result<nlohmann::json> parse_limited(std::string_view text, std::size_t max_depth = kMaxDepth,
                                            std::size_t max_bytes = kMaxBytes) {
  using R = Result<nlohmann::json>;
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos)
    return R::failure("NUL byte at offset " + std::to_string(nul) + " (of " + std::to_string(text.size()) +
                      ")");
  if (const Status limits = check(text, max_depth, max_bytes); !limits) return R::failure(limits.error());
  // The depth is bounded above, so neither the parser's recursion nor this stack of key sets can grow deep.
  std::vector<std::set<std::string>> keys_per_object;
  std::string duplicate;
  const auto track = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) keys_per_object.emplace_back();
    if (event == Event::object_end && !keys_per_object.empty()) keys_per_object.pop_back();
    if (event == Event::key && !keys_per_object.empty() && duplicate.empty() &&
        !keys_per_object.back().insert(parsed.get<std::string>()).second)
      duplicate = parsed.get<std::string>();
    return true;
  };
  try {
    nlohmann::json json = nlohmann::json::parse(text.begin(), text.end(), track);
    if (!duplicate.empty())
      return R::failure("key \"" + quote_prefix(duplicate, 64) + "\" given twice in one object");
    return R::success(std::move(json));
  } catch (const nlohmann::json::exception& error) {  // parse_error, and out_of_range for 1e400
    return R::failure(std::string("not valid JSON: ") + quote_prefix(error.what()));
  }
}

}  // namespace hepek::json_limits
