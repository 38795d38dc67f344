#include "tcp_client.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

namespace hepek::dsmr {

TcpClient::TcpClient(std::string host, int port, std::chrono::milliseconds connect_timeout)
    : host_(std::move(host)), port_(port), connect_timeout_(connect_timeout) {
  if (host_.empty())
    throw std::invalid_argument("host: a host name or address is required for source = \"tcp\"");
  if (port_ < 1 || port_ > 65535)
    throw std::invalid_argument(fmt::format("port: {} is not a TCP port (1-65535)", port_));
}

std::string TcpClient::describe() const {
  return fmt::format("tcp {}:{}", host_, port_);
}

void TcpClient::open() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port_);
  if (const int status = ::getaddrinfo(host_.c_str(), service.c_str(), &hints, &found); status != 0)
    throw std::runtime_error("cannot resolve " + describe() + ": " + ::gai_strerror(status));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);

  std::string last_error = "no address";
  for (const addrinfo* address = found; address; address = address->ai_next) {
    FileDescriptor socket(::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                                   address->ai_protocol));
    if (!socket.valid()) {
      last_error = std::strerror(errno);
      continue;
    }
    if (::connect(socket.get(), address->ai_addr, address->ai_addrlen) != 0 && errno != EINPROGRESS) {
      last_error = std::strerror(errno);
      continue;
    }
    pollfd descriptor{socket.get(), POLLOUT, 0};
    const int ready = ::poll(&descriptor, 1, static_cast<int>(connect_timeout_.count()));
    if (ready <= 0) {
      last_error = ready == 0 ? "timed out" : std::strerror(errno);
      continue;
    }
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(socket.get(), SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) {
      last_error = std::strerror(error);
      continue;
    }
    const int enable = 1;  // notice a dead bridge even while it sends nothing
    ::setsockopt(socket.get(), SOL_SOCKET, SO_KEEPALIVE, &enable, sizeof enable);
    fd_ = std::move(socket);
    return;
  }
  throw std::runtime_error("cannot connect to " + describe() + ": " + last_error);
}

std::string TcpClient::read_some(std::chrono::milliseconds timeout) {
  if (!fd_.valid()) throw std::runtime_error(describe() + " is not connected");
  return poll_read(fd_.get(), timeout, describe());
}

}  // namespace hepek::dsmr
