// The P1 telegram parser (DSMR 2.2, 3, 4.x, 5.x, Belgian/Luxembourg e-MUCS).
//
// Contract: parse_telegram() takes exactly one telegram, from its '/' to the line starting with '!' (CRLF or
// LF line endings; trailing blank lines allowed). It never throws on bad input and never reads outside
// `text`: it returns the Telegram, or a ParseError naming the telegram line (1-based) and what is wrong there.
//  - Rejected whole: no '!' line (truncated), data after it, a malformed CRC, a CRC mismatch (CRC-16/ARC over
//    '/'..'!', 4 or 3 hex digits, either case; a telegram that arrives with LF-only line endings also passes when
//    its CRC matches the CRLF original), a telegram that declares a version (1-3:0.2.8 or e-MUCS 0-0:96.1.4)
//    without a CRC (DSMR 2.2/3 need none), a header that is not '/' + three letters + identification, a control
//    byte in the header when no verified CRC vouches for the telegram, and a telegram none of whose lines can
//    be read.
//  - Forgiven, like real parsers do: a line that cannot be read (not an OBIS line, a malformed OBIS code, an
//    unclosed parenthesis, a value with a unit that is not a decimal number, a duplicate OBIS code, a profile
//    whose count does not match, an invalid telegram timestamp) is left out and listed in Telegram::problems
//    with its line and what is wrong; a stray control byte in the header of a CRC-verified telegram is dropped
//    and listed too.
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
