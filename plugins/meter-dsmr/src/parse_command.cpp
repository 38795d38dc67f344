#include "parse_command.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "json_form.hpp"
#include "stream_reader.hpp"

namespace hepek::dsmr {
namespace {

constexpr const char* kUsage =
    "usage: hepek dsmr parse FILE...\n"
    "  Parses the P1 telegrams in each FILE (\"-\" for stdin) and prints one JSON line per telegram.\n"
    "  Exit status: 0 when every telegram parsed, 1 when any was rejected.\n";

bool read_input(const std::string& path, std::string& content, std::string& error) {
  if (path == "-") {
    content.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << file.rdbuf();
  content = buffer.str();
  return true;
}

}  // namespace

int run_parse_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << kUsage;
    return 2;
  }
  for (const auto& arg : args)
    if (arg == "-h" || arg == "--help") {
      out << kUsage;
      return 0;
    }
  bool any_rejected = false;
  for (const auto& path : args) {
    const std::string name = path == "-" ? "<stdin>" : path;
    std::string content, error;
    if (!read_input(path, content, error)) {
      out << rejection_to_json(error).dump() << '\n';
      any_rejected = true;
      continue;
    }
    TelegramStreamReader reader;
    auto events = reader.feed(content);
    auto tail = reader.finish();
    events.insert(events.end(), std::make_move_iterator(tail.begin()), std::make_move_iterator(tail.end()));
    if (events.empty()) {
      out << rejection_to_json(name + ": no telegram found (no line starting with '/')").dump() << '\n';
      any_rejected = true;
    }
    for (const auto& event : events) {
      if (event.ok()) {
        out << telegram_to_json(*event.telegram, event.first_line).dump() << '\n';
        for (const auto& problem : event.telegram->problems)
          err << name << ": line " << event.first_line + static_cast<std::size_t>(problem.line) - 1 << ": "
              << problem.message << ": " << problem.text << '\n';
      } else {
        out << rejection_to_json(name + ": " + event.describe_error()).dump() << '\n';
        any_rejected = true;
      }
    }
    if (reader.garbage_bytes() > 0)
      err << name << ": skipped " << reader.garbage_bytes() << " bytes outside telegrams\n";
  }
  out.flush();
  return any_rejected ? 1 : 0;
}

}  // namespace hepek::dsmr
