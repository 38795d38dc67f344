// One GPIO output line through libgpiod v1 (Debian 12 ships 1.6), held for the object's lifetime.
//
// Contract: the constructor opens the chip (a name such as "gpiochip0", or a path under /dev), requests
// `line` as an output driven to `initial` and throws std::runtime_error naming chip, line and errno text on
// failure. set() throws the same way. `active_low` inverts the electrical level (for relay boards that switch
// on a low input). The line is released on destruction. Not thread-safe.
#pragma once

#include <string>

struct gpiod_chip;
struct gpiod_line;

namespace hepek::relay {

class GpioOutput {
 public:
  GpioOutput(const std::string& chip, unsigned line, bool active_low, bool initial,
             const std::string& consumer);
  ~GpioOutput();
  GpioOutput(const GpioOutput&) = delete;
  GpioOutput& operator=(const GpioOutput&) = delete;
  void set(bool on);

 private:
  std::string where_;
  bool active_low_;
  gpiod_chip* chip_ = nullptr;
  gpiod_line* line_ = nullptr;
};

}  // namespace hepek::relay
