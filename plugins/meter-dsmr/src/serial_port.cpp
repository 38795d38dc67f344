#include "serial_port.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace hepek::dsmr {
namespace {

speed_t speed_for(int baud) {
  switch (baud) {
    case 1200:
      return B1200;
    case 2400:
      return B2400;
    case 4800:
      return B4800;
    case 9600:
      return B9600;
    case 19200:
      return B19200;
    case 38400:
      return B38400;
    case 57600:
      return B57600;
    case 115200:
      return B115200;
    case 230400:
      return B230400;
    default:
      return B0;
  }
}

}  // namespace

void SerialSettings::validate() const {
  if (device.empty())
    throw std::invalid_argument("device: a serial device path is required for source = \"serial\"");
  if (speed_for(baud) == B0)
    throw std::invalid_argument(
        fmt::format("baud: {} is not a supported rate (1200 ... 230400; P1 uses 115200, "
                    "DSMR 2.2/3 9600)",
                    baud));
  if (data_bits != 7 && data_bits != 8)
    throw std::invalid_argument(fmt::format("data_bits: {} is not 7 or 8", data_bits));
  if (parity != "none" && parity != "even" && parity != "odd")
    throw std::invalid_argument("parity: \"" + parity + "\" is not \"none\", \"even\" or \"odd\"");
  if (stop_bits != 1 && stop_bits != 2)
    throw std::invalid_argument(fmt::format("stop_bits: {} is not 1 or 2", stop_bits));
}

SerialPort::SerialPort(SerialSettings settings) : settings_(std::move(settings)) {
  settings_.validate();
}

void SerialPort::open() {
  fd_ = FileDescriptor(::open(settings_.device.c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
  if (!fd_.valid()) throw std::runtime_error("cannot open " + describe() + ": " + std::strerror(errno));
  termios tty{};
  if (::tcgetattr(fd_.get(), &tty) != 0) {
    const std::string reason = std::strerror(errno);
    fd_.reset();
    throw std::runtime_error(describe() + " is not a serial port: " + reason);
  }
  ::cfmakeraw(&tty);
  tty.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
  tty.c_cflag |= (settings_.data_bits == 7 ? CS7 : CS8) | CLOCAL | CREAD;
  if (settings_.parity != "none") tty.c_cflag |= PARENB | (settings_.parity == "odd" ? PARODD : 0);
  if (settings_.stop_bits == 2) tty.c_cflag |= CSTOPB;
  tty.c_cc[VMIN] = 0;
  tty.c_cc[VTIME] = 0;
  const speed_t speed = speed_for(settings_.baud);
  if (::cfsetispeed(&tty, speed) != 0 || ::cfsetospeed(&tty, speed) != 0 ||
      ::tcsetattr(fd_.get(), TCSANOW, &tty) != 0) {
    const std::string reason = std::strerror(errno);
    fd_.reset();
    throw std::runtime_error(
        fmt::format("cannot configure {} for {} baud: {}", describe(), settings_.baud, reason));
  }
  ::tcflush(fd_.get(), TCIFLUSH);  // bytes from before we listened are half telegrams
}

std::string SerialPort::read_some(std::chrono::milliseconds timeout) {
  if (!fd_.valid()) throw std::runtime_error(describe() + " is not open");
  return poll_read(fd_.get(), timeout, describe());
}

}  // namespace hepek::dsmr
