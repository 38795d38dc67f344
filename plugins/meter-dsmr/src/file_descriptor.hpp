// An owned POSIX file descriptor, closed on destruction, plus the poll-and-read step both P1 links share.
// Not thread-safe; move-only.
#pragma once

#include <chrono>
#include <string>
#include <utility>

namespace hepek::dsmr {

class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset();

 private:
  int fd_ = -1;
};

// Waits up to `timeout` for `fd` to become readable and reads what is there (up to 4 KiB). Returns "" on
// timeout; throws std::runtime_error naming `what` on end of stream, hang-up or error.
std::string poll_read(int fd, std::chrono::milliseconds timeout, const std::string& what);

}  // namespace hepek::dsmr
