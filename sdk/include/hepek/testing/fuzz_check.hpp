// Helpers for libFuzzer targets (the in-tree fuzzers, cmake/HepekFuzzing.cmake; installed with the SDK so a
// third-party plugin can fuzz its parsers the same way). Header-only.
//
//   HEPEK_FUZZ_CHECK(parsed == reparsed, "a price message changed in a round trip");
//     aborts with the condition, the message, file and line when the invariant does not hold: libFuzzer then
//     saves the input as a crash, so a broken invariant fails the run like a memory error does.
//   hepek::testing::dumps_strictly(json): whether json.dump() succeeds without an error handler (it throws for
//     a string that is not well-formed UTF-8), as the hub's replies are dumped.
//   hepek::testing::split_input(data, size): the input as text, and the parts before and after its first NUL
//     byte, for targets that take two inputs (e.g. device metadata and a command).
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#define HEPEK_FUZZ_CHECK(condition, message)                                                            \
  do {                                                                                                  \
    if (!(condition)) ::hepek::testing::fuzz_invariant_broken(#condition, message, __FILE__, __LINE__); \
  } while (0)

namespace hepek::testing {

[[noreturn]] inline void fuzz_invariant_broken(const char* condition, std::string_view message,
                                               const char* file, int line) {
  std::fprintf(stderr, "%s:%d: fuzz invariant broken: %.*s (%s)\n", file, line,
               static_cast<int>(message.size()), message.data(), condition);
  std::abort();
}

// Whether the hub could publish `value`: nlohmann's dump() without an error handler throws for a string that
// is not well-formed UTF-8 (type_error 316), and the hub and the plugins dump replies that way.
inline bool dumps_strictly(const nlohmann::json& value) {
  try {
    (void)value.dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

struct FuzzInput {
  std::string_view whole;
  std::string_view first;                  // before the first NUL byte (the whole input when there is none)
  std::optional<std::string_view> second;  // after it, when there is one
};

inline FuzzInput split_input(const std::uint8_t* data, std::size_t size) {
  const std::string_view whole(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = whole.find('\0');
  if (nul == std::string_view::npos) return {whole, whole, std::nullopt};
  return {whole, whole.substr(0, nul), whole.substr(nul + 1)};
}

}  // namespace hepek::testing
