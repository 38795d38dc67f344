// See private_database.hpp.
#include "hepek/storage/private_database.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace hepek::storage {

namespace {

void make_private(const std::string& path, bool must_exist) {
  if (::chmod(path.c_str(), 0600) == 0) return;
  if (errno == ENOENT && !must_exist) return;
  throw std::runtime_error("cannot make the database file " + path +
                           " private (0600): " + std::strerror(errno));
}

}  // namespace

const std::string& make_database_private(const std::string& path, int flags) {
  if (path.empty() || path == ":memory:") return path;
  if (flags & SQLite::OPEN_CREATE) {
    // O_CREAT without O_EXCL: an existing file is opened, not truncated; the mode applies to a new file only.
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
      throw std::runtime_error("cannot create the database file " + path + ": " + std::strerror(errno));
    ::close(fd);
  }
  make_private(path, /*must_exist=*/false);
  for (const char* suffix : {"-wal", "-shm", "-journal"}) make_private(path + suffix, /*must_exist=*/false);
  return path;
}

SQLite::Database open_private_database(const std::string& path, int flags) {
  return SQLite::Database(make_database_private(path, flags), flags);
}

}  // namespace hepek::storage
