#include "time_format.hpp"

#include <chrono>
#include <sstream>

#include <date/date.h>

namespace hepek::recorder {
namespace {

using Milliseconds = std::chrono::milliseconds;
using SysMs = date::sys_time<Milliseconds>;

// Parses `text` completely with one date::parse format; partial matches do not count.
std::optional<SysMs> parse_exact(const std::string& text, const char* format) {
  std::istringstream stream(text);
  SysMs time{};
  stream >> date::parse(format, time);
  if (stream.fail()) return std::nullopt;
  if (stream.peek() != std::char_traits<char>::eof()) return std::nullopt;
  return time;
}

}  // namespace

std::optional<int64_t> parse_iso8601_ms(std::string_view text) {
  if (text.size() < 10 || text.size() > 40) return std::nullopt;
  std::string normalised(text);
  if (normalised.size() > 10 && normalised[10] == ' ') normalised[10] = 'T';
  // date::parse's %z does not read "Z": spell UTC as an offset.
  if (normalised.back() == 'Z' || normalised.back() == 'z') {
    normalised.pop_back();
    normalised += "+00:00";
  }
  for (const char* format : {"%FT%T%Ez", "%FT%T%z", "%FT%R%Ez"}) {
    if (auto time = parse_exact(normalised, format)) return time->time_since_epoch().count();
  }
  if (normalised.size() == 10) {
    if (auto time = parse_exact(normalised, "%F")) return time->time_since_epoch().count();
  }
  return std::nullopt;
}

std::string format_iso8601_ms(int64_t unix_ms) {
  const SysMs time{Milliseconds(unix_ms)};
  if (unix_ms % 1000 == 0) return date::format("%FT%TZ", date::floor<std::chrono::seconds>(time));
  return date::format("%FT%TZ", time);
}

}  // namespace hepek::recorder
