// A Modbus client link to one SunSpec device over libmodbus: TCP (host, port) or RTU (serial device, baud,
// parity, data and stop bits), one unit id, a response timeout.
//
// Errors: read() and write() never throw; their messages name the device ("tcp 10.0.0.5:502 unit 1"), the
// registers and the cause (libmodbus's text, or the Modbus exception by number and name). Exceptions 1-4
// (illegal function, address, value; server failure) are Failure::exception: the device is there and refuses
// those registers. Everything else (timeout, dropped connection, bad CRC, gateway target not answering, busy)
// is Failure::link, and the link is closed: the caller reconnects (with its backoff).
// Not thread-safe: one thread at a time (the plugin serialises its poller and command handler on a mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include <hepek/result.hpp>

#include "register_source.hpp"

struct _modbus;

namespace hepek::sunspec {

struct LinkSettings {
  enum class Kind { tcp, rtu };
  Kind kind = Kind::tcp;
  std::string host;
  int port = 502;
  std::string serial_device;
  int baud = 9600;
  char parity = 'N';  // 'N', 'E' or 'O'
  int data_bits = 8;
  int stop_bits = 1;
  int unit = 1;
  int timeout_ms = 1000;

  std::string describe() const;
};

class ModbusLink : public RegisterWriter {
 public:
  explicit ModbusLink(LinkSettings settings);
  ~ModbusLink() override;
  ModbusLink(const ModbusLink&) = delete;
  ModbusLink& operator=(const ModbusLink&) = delete;

  Status connect();
  void close();
  bool connected() const { return connected_; }

  ReadResult read(uint32_t address, uint16_t count) override;
  // Writes registers with function 16 (write multiple registers), as pysunspec2 does for every write.
  ReadResult write(uint32_t address, std::span<const uint16_t> words) override;
  std::string describe() const override { return settings_.describe(); }
  const LinkSettings& settings() const { return settings_; }

 private:
  ReadResult failure(const std::string& what, int error);

  LinkSettings settings_;
  _modbus* context_ = nullptr;
  bool connected_ = false;
};

}  // namespace hepek::sunspec
