#include "gpio_output.hpp"

#include <gpiod.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace hepek::relay {

GpioOutput::GpioOutput(const std::string& chip, unsigned line, bool active_low, bool initial,
                       const std::string& consumer)
    : where_("GPIO " + chip + " line " + std::to_string(line)), active_low_(active_low) {
  chip_ = chip.find('/') != std::string::npos ? gpiod_chip_open(chip.c_str())
                                              : gpiod_chip_open_by_name(chip.c_str());
  if (!chip_) throw std::runtime_error("cannot open " + where_ + ": " + std::strerror(errno));
  line_ = gpiod_chip_get_line(chip_, line);
  if (!line_) {
    const std::string reason = std::strerror(errno);
    gpiod_chip_close(chip_);
    throw std::runtime_error("no " + where_ + ": " + reason);
  }
  if (gpiod_line_request_output(line_, consumer.c_str(), (initial != active_low_) ? 1 : 0) != 0) {
    const std::string reason = std::strerror(errno);
    gpiod_chip_close(chip_);
    throw std::runtime_error("cannot request " + where_ + " as an output: " + reason);
  }
}

GpioOutput::~GpioOutput() {
  if (line_) gpiod_line_release(line_);
  if (chip_) gpiod_chip_close(chip_);
}

void GpioOutput::set(bool on) {
  if (gpiod_line_set_value(line_, (on != active_low_) ? 1 : 0) != 0)
    throw std::runtime_error("cannot drive " + where_ + ": " + std::strerror(errno));
}

}  // namespace hepek::relay
