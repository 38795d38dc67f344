// The P1 telegram parser (DSMR 2.2, 3, 4.x, 5.x, Belgian/Luxembourg e-MUCS).
//
// Contract: parse_telegram() takes exactly one telegram, from its '/' to the line starting with '!' (CRLF or
// LF line endings; trailing blank lines allowed). It never throws on bad input and never reads outside
// `text`: it returns the Telegram, or a ParseError naming the telegram line (1-based) and what is wrong
// there.
//  - The CRC (CRC-16/ARC over '/'..'!', 4 or 3 hex digits, either case) is verified when present. A telegram
//  that
//    arrives with LF-only line endings also passes when its CRC matches the CRLF original the meter sent.
//  - A telegram that declares a version (1-3:0.2.8 or e-MUCS 0-0:96.1.4) must carry a CRC; DSMR 2.2/3 need
//  none.
//  - No '!' line: rejected as truncated. Duplicate OBIS codes, malformed OBIS codes, unclosed parentheses, a
//  value
//    with a unit that is not a decimal number, an invalid telegram timestamp: rejected.
// Thread-safe (pure function).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "telegram.hpp"

namespace hepek::dsmr {

struct ParseError {
  int line = 0;  // 1-based telegram line; 0 when the error concerns the telegram as a whole
  std::string message;

  std::string to_string() const {
    return line > 0 ? "line " + std::to_string(line) + ": " + message : message;
  }
};

struct ParseOptions {
  bool verify_crc = true;             // off only for measurement (the benchmark's comparison)
  std::size_t max_bytes = 64 * 1024;  // far above any real telegram (~1-3 KiB)
};

class ParseResult {
 public:
  ParseResult(Telegram telegram) : value_(std::move(telegram)) {}  // NOLINT: implicit by design
  ParseResult(ParseError error) : value_(std::move(error)) {}      // NOLINT

  bool ok() const { return std::holds_alternative<Telegram>(value_); }
  explicit operator bool() const { return ok(); }
  const Telegram& telegram() const { return std::get<Telegram>(value_); }
  Telegram& telegram() { return std::get<Telegram>(value_); }
  const ParseError& error() const { return std::get<ParseError>(value_); }

 private:
  std::variant<Telegram, ParseError> value_;
};

ParseResult parse_telegram(std::string_view text, const ParseOptions& options = {});

// True for "A-B:C.D.E" with an optional "*F" (decimal groups of 1-3 digits).
bool is_obis_code(std::string_view text);

}  // namespace hepek::dsmr
