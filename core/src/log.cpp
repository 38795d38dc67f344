#include "log.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace hepek::core {

std::string_view level_name(Level level) {
  switch (level) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warning:
      return "warning";
    case Level::error:
      return "error";
  }
  return "info";
}

std::string bus_log_line(Level level, std::string_view source, std::string_view message,
                         const std::string& ts) {
  const nlohmann::json line{
      {"level", level_name(level)}, {"source", source}, {"message", message}, {"ts", ts}};
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Level parse_level(std::string_view name) {
  if (name == "debug") return Level::debug;
  if (name == "warning") return Level::warning;
  if (name == "error") return Level::error;
  return Level::info;
}

Logger& Logger::instance() {
  static Logger logger;
  return logger;
}

void Logger::set_threshold(Level level) {
  std::lock_guard lock(mutex_);
  threshold_ = level;
}

void Logger::set_bus_sink(Sink sink) {
  std::lock_guard lock(mutex_);
  bus_sink_ = std::move(sink);
}

void Logger::log(Level level, std::string_view source, std::string_view message) {
  Sink sink;
  {
    std::lock_guard lock(mutex_);
    if (level < threshold_) return;
    std::fprintf(stderr, "%-7.*s %.*s: %.*s\n", static_cast<int>(level_name(level).size()),
                 level_name(level).data(), static_cast<int>(source.size()), source.data(),
                 static_cast<int>(message.size()), message.data());
    sink = bus_sink_;
  }
  if (sink) sink(level, std::string(source), std::string(message));
}

}  // namespace hepek::core
