#include "modbus_link.hpp"

#include <cerrno>

#include <fmt/format.h>
#include <modbus/modbus.h>

namespace hepek::sunspec {
namespace {

const char* exception_name(int code) {
  switch (code) {
    case 1:
      return "illegal function";
    case 2:
      return "illegal data address";
    case 3:
      return "illegal data value";
    case 4:
      return "server device failure";
    case 5:
      return "acknowledge (busy)";
    case 6:
      return "server device busy";
    case 8:
      return "memory parity error";
    case 10:
      return "gateway path unavailable";
    case 11:
      return "gateway target device failed to respond";
  }
  return "unknown exception";
}

std::string range(uint32_t address, size_t count) {
  return count == 1 ? fmt::format("register {}", address)
                    : fmt::format("registers {}-{}", address, address + count - 1);
}

}  // namespace

std::string LinkSettings::describe() const {
  if (kind == Kind::tcp) return fmt::format("tcp {}:{} unit {}", host, port, unit);
  return fmt::format("rtu {} {} {}{}{} unit {}", serial_device, baud, data_bits, parity, stop_bits, unit);
}

ModbusLink::ModbusLink(LinkSettings settings) : settings_(std::move(settings)) {}

ModbusLink::~ModbusLink() {
  close();
}

Status ModbusLink::connect() {
  close();
  if (settings_.kind == LinkSettings::Kind::tcp)
    context_ = modbus_new_tcp_pi(settings_.host.c_str(), std::to_string(settings_.port).c_str());
  else
    context_ = modbus_new_rtu(settings_.serial_device.c_str(), settings_.baud, settings_.parity,
                              settings_.data_bits, settings_.stop_bits);
  if (!context_) return Status::failure(describe() + ": cannot set up the link: " + modbus_strerror(errno));
  modbus_set_slave(context_, settings_.unit);
  const auto timeout_us = static_cast<uint32_t>(settings_.timeout_ms) * 1000u;
  modbus_set_response_timeout(context_, timeout_us / 1000000u, timeout_us % 1000000u);
  if (modbus_connect(context_) != 0) {
    const std::string why = modbus_strerror(errno);
    close();
    return Status::failure(describe() + ": cannot connect: " + why);
  }
  connected_ = true;
  return Status::success();
}

void ModbusLink::close() {
  if (context_) {
    if (connected_) modbus_close(context_);
    modbus_free(context_);
  }
  context_ = nullptr;
  connected_ = false;
}

ReadResult ModbusLink::failure(const std::string& what, int error) {
  const int code = error - MODBUS_ENOBASE;
  if (error >= EMBXILFUN && error <= EMBXGTAR) {
    const std::string text =
        fmt::format("{}: {}: Modbus exception {} ({})", describe(), what, code, exception_name(code));
    if (code >= 1 && code <= 4) return ReadResult::exception(text);
    close();
    return ReadResult::link(text);
  }
  const std::string text =
      fmt::format("{}: {}: {}", describe(), what,
                  error == ETIMEDOUT ? std::string("no answer (timeout)") : modbus_strerror(error));
  close();
  return ReadResult::link(text);
}

ReadResult ModbusLink::read(uint32_t address, uint16_t count) {
  const std::string what = "reading " + range(address, count);
  if (!connected_) return ReadResult::link(describe() + ": " + what + ": not connected");
  if (count == 0 || count > kMaxReadRegisters || address + count > 0x10000)
    return ReadResult::exception(describe() + ": " + what + ": outside the Modbus limits");
  ++requests_;
  std::vector<uint16_t> words(count);
  const int n = modbus_read_registers(context_, static_cast<int>(address), count, words.data());
  if (n < 0) return failure(what, errno);
  if (n != count) {
    close();
    return ReadResult::link(fmt::format("{}: {}: the device answered {} registers", describe(), what, n));
  }
  return ReadResult::success(std::move(words));
}

ReadResult ModbusLink::write(uint32_t address, std::span<const uint16_t> words) {
  const std::string what = "writing " + range(address, words.size());
  if (!connected_) return ReadResult::link(describe() + ": " + what + ": not connected");
  if (words.empty() || words.size() > 123 || address + words.size() > 0x10000)
    return ReadResult::exception(describe() + ": " + what + ": outside the Modbus limits");
  ++requests_;
  const int n = modbus_write_registers(context_, static_cast<int>(address), static_cast<int>(words.size()),
                                       words.data());
  if (n < 0) return failure(what, errno);
  return ReadResult::success({});
}

}  // namespace hepek::sunspec
