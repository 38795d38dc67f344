// See data_dir_lock.hpp.
#include "data_dir_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "hub_support.hpp"

namespace hepek::core {

namespace {

std::string read_holder_pid(int fd) {
  char buffer[32] = {};
  const ssize_t count = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string pid = count > 0 ? std::string(buffer, static_cast<std::size_t>(count)) : std::string();
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() ? "unknown" : pid;
}

}  // namespace

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

void DataDirLock::acquire(const std::string& directory) {
  if (held()) return;
  detail::make_private_directory(directory);
  const std::string path = directory + "/" + kFileName;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    throw std::runtime_error(fmt::format("cannot open the lock file {}: {}", path, std::strerror(errno)));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string holder = read_holder_pid(fd);
    ::close(fd);
    if (error == EWOULDBLOCK)
      throw std::runtime_error(fmt::format(
          "the data directory {} is in use by another hub (pid {}); stop it or choose another --data-dir",
          directory, holder));
    throw std::runtime_error(fmt::format("cannot lock {}: {}", path, std::strerror(error)));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int error = errno;
    ::close(fd);
    throw std::runtime_error(fmt::format("cannot write the pid into {}: {}", path, std::strerror(error)));
  }
  fd_ = fd;
}

}  // namespace hepek::core
