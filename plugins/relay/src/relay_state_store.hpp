// Remembers the relay's last state across restarts: a small JSON file ({"state":"on"|"off"}) in the
// instance's data directory, written atomically (temporary file + rename) so a power cut mid-write never
// leaves a torn file.
//
// Contract: load() returns nullopt when there is no file yet and throws std::runtime_error naming the file
// when it exists but is unreadable or malformed; save() throws std::runtime_error naming the file on failure.
// Not thread-safe; one store per instance.
#pragma once

#include <optional>
#include <string>

namespace hepek::relay {

class RelayStateStore {
 public:
  explicit RelayStateStore(std::string path) : path_(std::move(path)) {}
  std::optional<bool> load() const;
  void save(bool on) const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace hepek::relay
