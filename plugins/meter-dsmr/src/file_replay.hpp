// Replays the telegrams of a recorded P1 file (one or more telegrams, any garbage between them) in order,
// optionally from the start again at the end. Rejected telegrams are replayed too, so the consumer counts
// them as it would live. Contract: load() throws std::runtime_error naming the file when it cannot be read or
// holds no telegram. Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "stream_reader.hpp"

namespace hepek::dsmr {

class FileReplay {
 public:
  static FileReplay load(const std::string& path, bool loop);

  // The next telegram, or nullptr once the file is done (never, when looping).
  const StreamEvent* next();
  std::size_t size() const { return events_.size(); }
  std::size_t position() const { return position_; }

 private:
  std::vector<StreamEvent> events_;
  std::size_t position_ = 0;
  bool loop_ = false;
};

}  // namespace hepek::dsmr
