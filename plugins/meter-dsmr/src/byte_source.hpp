// A stream of bytes from a meter's P1 port: a serial port or a TCP connection (ser2net and the like).
//
// Contract: open() connects (throws std::runtime_error naming the device/address and the OS reason);
// read_some() waits at most `timeout` and returns the bytes that arrived (empty when none did), and throws
// when the link is gone (device unplugged, connection closed); close() may be called at any time and more
// than once. One thread uses a source at a time.
#pragma once

#include <chrono>
#include <string>

namespace hepek::dsmr {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual void open() = 0;
  virtual std::string read_some(std::chrono::milliseconds timeout) = 0;
  virtual void close() = 0;
  virtual std::string describe() const = 0;  // "serial port /dev/ttyUSB0", "tcp 192.168.1.5:2001"
};

}  // namespace hepek::dsmr
