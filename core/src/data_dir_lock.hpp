// An exclusive lock on a hub's data directory: flock(2) on <data dir>/hepek.lock, held for the lifetime of
// the object, with the holder's pid written into the file. Taken before the hub touches any other file there
// (broker config, keys, plugin databases), so a second hub on the same data directory refuses to start and
// changes nothing. The kernel drops the lock when the holder exits, however it exits; a stale file is harmless.
//
// Contract: acquire() throws std::runtime_error when the directory cannot be created or the lock file cannot
// be opened, and, when another process holds the lock, one naming the directory, "in use" and that process's
// pid. The descriptor is close-on-exec, so the broker and anvil children never hold the lock. Not thread-safe
// (the hub thread owns it).
#pragma once

#include <string>

namespace hepek::core {

class DataDirLock {
 public:
  DataDirLock() = default;
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

  // Creates `directory` (0700) when missing, then takes the lock; a no-op when already held.
  void acquire(const std::string& directory);
  bool held() const { return fd_ >= 0; }

  static constexpr const char* kFileName = "hepek.lock";

 private:
  int fd_ = -1;
};

}  // namespace hepek::core
