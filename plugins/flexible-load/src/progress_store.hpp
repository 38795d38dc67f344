// Persists the pending run's progress ({"earliest_ms","deadline_ms","delivered_ms","requested"?}) in the instance's data
// directory, written atomically (temporary file + rename), so a restart neither repeats nor forgets a run.
//
// Contract: load() returns nullopt when there is no file; a file that exists but is unreadable or malformed
// throws std::runtime_error naming the file and what is wrong (the caller logs it and starts afresh). save()
// throws std::runtime_error naming the file. clear() removes the file. Not thread-safe; one store per instance.
#pragma once

#include <optional>
#include <string>

#include "run_scheduler.hpp"

namespace hepek::flexload {

class ProgressStore {
 public:
  explicit ProgressStore(std::string path) : path_(std::move(path)) {}
  std::optional<RunProgress> load() const;
  void save(const RunProgress& progress) const;
  void clear() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace hepek::flexload
