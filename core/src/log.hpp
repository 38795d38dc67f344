// Hub logging: every line goes to stderr ("LEVEL source: message") and, once the bus is up, to hepek/bridge/log.
//
// Contract: thread-safe; the bus sink is called outside the logger's lock and must not log itself. Secrets (keys,
// passwords) are never passed to the logger by the core.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace hepek::core {

enum class Level { debug = 0, info = 1, warning = 2, error = 3 };

std::string_view level_name(Level level);

// The JSON of one hepek/bridge/log message: {"level","source","message","ts"}. Never throws: text that is not
// UTF-8 (a plugin may log bytes it read) is shown with U+FFFD, as the line must be published whatever it says.
std::string bus_log_line(Level level, std::string_view source, std::string_view message,
                         const std::string& ts);
Level parse_level(std::string_view name);  // unknown names → info

class Logger {
 public:
  using Sink = std::function<void(Level, const std::string& source, const std::string& message)>;

  static Logger& instance();

  void set_threshold(Level level);
  void set_bus_sink(Sink sink);  // empty: none
  void log(Level level, std::string_view source, std::string_view message);

 private:
  std::mutex mutex_;
  Level threshold_ = Level::info;
  Sink bus_sink_;
};

inline void log_info(std::string_view source, std::string_view message) {
  Logger::instance().log(Level::info, source, message);
}
inline void log_warning(std::string_view source, std::string_view message) {
  Logger::instance().log(Level::warning, source, message);
}
inline void log_error(std::string_view source, std::string_view message) {
  Logger::instance().log(Level::error, source, message);
}

}  // namespace hepek::core
