#include "file_descriptor.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace hepek::dsmr {

void FileDescriptor::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::string poll_read(int fd, std::chrono::milliseconds timeout, const std::string& what) {
  pollfd descriptor{fd, POLLIN, 0};
  const int ready = ::poll(&descriptor, 1, static_cast<int>(timeout.count()));
  if (ready < 0) {
    if (errno == EINTR) return {};
    throw std::runtime_error("cannot wait for " + what + ": " + std::strerror(errno));
  }
  if (ready == 0) return {};
  if (descriptor.revents & POLLIN) {
    char buffer[4096];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) return std::string(buffer, static_cast<std::size_t>(n));
    if (n == 0) throw std::runtime_error(what + " closed (end of stream)");
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return {};
    throw std::runtime_error("cannot read from " + what + ": " + std::strerror(errno));
  }
  if (descriptor.revents & (POLLHUP | POLLERR | POLLNVAL)) throw std::runtime_error(what + " hung up");
  return {};
}

}  // namespace hepek::dsmr
