// Cuts telegrams out of a P1 byte stream (serial port, TCP, file) and parses them.
//
// Contract:
//  - feed() takes bytes in chunks of any size; each completed telegram comes back as an Event, in stream
//  order, once
//    its '!' end line is complete (the line feed after the CRC arrived). CRLF and LF-only line endings both
//    work.
//  - Bytes before a '/' are garbage: skipped and counted, never an event. A '/' inside a telegram's header
//  line
//    restarts the telegram there (what came before was garbage too).
//  - A telegram cut off by the next one (a '/' at a line start before its '!' line, or inside a line when the
//  rest
//    parses as a telegram of its own) is rejected as truncated, and the next one is read normally.
//  - An accepted telegram may list problems (lines the parser left out, parser.hpp); such a frame is first tried
//    as a cut-off telegram followed by a complete one, as above.
//  - A telegram longer than ParseOptions::max_bytes is rejected and the reader resynchronises at the next
//  '/'.
//  - finish() ends the stream: a telegram in progress without its '!' line is rejected as truncated.
// Not thread-safe: one reader per stream, used by one thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser.hpp"

namespace hepek::dsmr {

struct StreamEvent {
  std::string raw;                   // the telegram's bytes from its '/' (or the rejected fragment)
  std::size_t first_line = 0;        // 1-based stream line on which raw starts
  std::optional<Telegram> telegram;  // set when accepted
  std::optional<ParseError> error;   // set when rejected; its line is relative to first_line

  bool ok() const { return telegram.has_value(); }
  // "line 12: CRC mismatch: ..." with the line counted in the stream.
  std::string describe_error() const;
};

class TelegramStreamReader {
 public:
  explicit TelegramStreamReader(ParseOptions options = {}) : options_(options) {}

  std::vector<StreamEvent> feed(std::string_view bytes);
  std::vector<StreamEvent> finish();

  std::size_t garbage_bytes() const { return garbage_bytes_; }

 private:
  void start_frame();
  void complete_frame(std::vector<StreamEvent>& events);
  void reject(std::string raw, std::size_t first_line, ParseError error, std::vector<StreamEvent>& events);
  void reset();

  ParseOptions options_;
  std::string frame_;  // bytes of the telegram in progress, from its '/'; empty while hunting
  std::size_t frame_first_line_ = 0;
  std::size_t frame_lines_ = 0;  // completed lines inside frame_
  bool at_line_start_ = false;
  bool in_end_line_ = false;
  std::size_t stream_line_ = 1;  // current 1-based line of the stream
  std::size_t garbage_bytes_ = 0;
};

}  // namespace hepek::dsmr
