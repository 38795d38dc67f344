#include "stream_reader.hpp"

#include <fmt/format.h>

namespace hepek::dsmr {

namespace {

constexpr int kMaxCutAttempts = 4;

bool is_letter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool looks_like_header_start(std::string_view text) {
  return text.size() >= 4 && text[0] == '/' && is_letter(text[1]) && is_letter(text[2]) && is_letter(text[3]);
}

}  // namespace

std::string StreamEvent::describe_error() const {
  if (!error) return {};
  if (error->line <= 0) return fmt::format("telegram at line {}: {}", first_line, error->message);
  return fmt::format("line {}: {}", first_line + static_cast<std::size_t>(error->line) - 1, error->message);
}

void TelegramStreamReader::start_frame() {
  frame_.clear();
  frame_.push_back('/');  // not `frame_ = "/"`: g++ 12 -O3 warns falsely (-Wrestrict, GCC PR 105329) on that
  frame_first_line_ = stream_line_;
  frame_lines_ = 0;
  at_line_start_ = false;
  in_end_line_ = false;
}

void TelegramStreamReader::reset() {
  frame_.clear();
  frame_lines_ = 0;
  at_line_start_ = false;
  in_end_line_ = false;
}

void TelegramStreamReader::reject(std::string raw, std::size_t first_line, ParseError error,
                                  std::vector<StreamEvent>& events) {
  events.push_back(StreamEvent{std::move(raw), first_line, std::nullopt, std::move(error)});
}

std::vector<StreamEvent> TelegramStreamReader::feed(std::string_view bytes) {
  std::vector<StreamEvent> events;
  for (const char c : bytes) {
    if (frame_.empty()) {
      if (c == '/')
        start_frame();
      else if (c != '\r' && c != '\n' && c != ' ' && c != '\t')
        ++garbage_bytes_;  // blank lines are not noise
    } else if (c == '/' && frame_lines_ == 0) {
      garbage_bytes_ += frame_.size();  // a '/' on the header line: what came before was noise
      start_frame();
    } else if (c == '/' && (at_line_start_ || in_end_line_)) {
      if (in_end_line_) {
        complete_frame(events);  // "!XXXX" directly followed by the next telegram
      } else {
        reject(std::move(frame_), frame_first_line_,
               ParseError{
                   0, fmt::format("truncated telegram: the next telegram starts after its line {}, before "
                                  "its '!' end line",
                                  frame_lines_)},
               events);
      }
      start_frame();
    } else {
      frame_ += c;
      at_line_start_ = false;
      if (c == '\n') {
        ++frame_lines_;
        at_line_start_ = true;
        if (in_end_line_) complete_frame(events);
      } else if (c == '!' && frame_.size() >= 2 && frame_[frame_.size() - 2] == '\n') {
        in_end_line_ = true;
      }
      if (!frame_.empty() && frame_.size() > options_.max_bytes) {
        reject(std::move(frame_), frame_first_line_,
               ParseError{0, fmt::format("telegram longer than {} bytes without an end line: dropped",
                                         options_.max_bytes)},
               events);
        reset();
      }
    }
    if (c == '\n') ++stream_line_;
  }
  return events;
}

void TelegramStreamReader::complete_frame(std::vector<StreamEvent>& events) {
  std::string raw = std::move(frame_);
  const std::size_t first_line = frame_first_line_;
  reset();
  ParseResult result = parse_telegram(raw, options_);
  if (result.ok() && result.telegram().problems.empty()) {
    events.push_back(StreamEvent{std::move(raw), first_line, std::move(result.telegram()), std::nullopt});
    return;
  }
  // A telegram cut off in mid-line swallows the header of the next one: when the rest from a later '/' parses
  // on its own, the first part was the truncated telegram. Only header-like cut points ("/" + three letters)
  // are tried, and only a few, so a frame full of '/' cannot make this quadratic. Also tried when the frame
  // parsed with problems: without a CRC (DSMR 2.2/3) the parser would forgive the cut line and merge the two.
  int attempts = 0;
  for (std::size_t cut = raw.find('/', 1); cut != std::string::npos && attempts < kMaxCutAttempts;
       cut = raw.find('/', cut + 1)) {
    if (!looks_like_header_start(std::string_view(raw).substr(cut))) continue;
    ++attempts;
    ParseResult rest = parse_telegram(std::string_view(raw).substr(cut), options_);
    if (!rest.ok()) continue;
    std::size_t lines_before = 0;
    for (std::size_t i = 0; i < cut; ++i) lines_before += raw[i] == '\n';
    std::string tail = raw.substr(cut);
    raw.resize(cut);
    reject(std::move(raw), first_line,
           ParseError{static_cast<int>(lines_before) + 1,
                      "truncated telegram: cut off where the next telegram starts"},
           events);
    events.push_back(
        StreamEvent{std::move(tail), first_line + lines_before, std::move(rest.telegram()), std::nullopt});
    return;
  }
  if (result.ok())
    events.push_back(StreamEvent{std::move(raw), first_line, std::move(result.telegram()), std::nullopt});
  else
    reject(std::move(raw), first_line, result.error(), events);
}

std::vector<StreamEvent> TelegramStreamReader::finish() {
  std::vector<StreamEvent> events;
  if (frame_.empty()) return events;
  if (in_end_line_) {
    complete_frame(events);  // the input ended right after the CRC, without a final line feed
  } else {
    const std::size_t lines = frame_lines_ + (at_line_start_ ? 0 : 1);
    reject(
        std::move(frame_), frame_first_line_,
        ParseError{0, fmt::format("truncated telegram: the input ends after line {} without the '!' end line",
                                  lines)},
        events);
    reset();
  }
  return events;
}

}  // namespace hepek::dsmr
