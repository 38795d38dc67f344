// The P1 port through a serial device (USB P1 cable): raw mode, read only, set up with termios.
// DSMR 4/5 and e-MUCS: 115200 8N1 (the default); DSMR 2.2/3: 9600 7E1.
// Contract: as ByteSource. settings are validated by SerialSettings::validate() (throws
// std::invalid_argument).
#pragma once

#include <string>

#include "byte_source.hpp"
#include "file_descriptor.hpp"

namespace hepek::dsmr {

struct SerialSettings {
  std::string device = "/dev/ttyUSB0";
  int baud = 115200;
  int data_bits = 8;            // 7 or 8
  std::string parity = "none";  // "none", "even", "odd"
  int stop_bits = 1;            // 1 or 2

  void validate() const;
};

class SerialPort : public ByteSource {
 public:
  explicit SerialPort(SerialSettings settings);
  void open() override;
  std::string read_some(std::chrono::milliseconds timeout) override;
  void close() override { fd_.reset(); }
  std::string describe() const override { return "serial port " + settings_.device; }

 private:
  SerialSettings settings_;
  FileDescriptor fd_;
};

}  // namespace hepek::dsmr
