// Remembers the user's own climate setting across restarts: a small JSON file
// ({"target_temperature":21.5,"hvac_mode":"heat","fan_mode":"auto"}, known fields only) in the instance's data
// directory, written atomically (temporary file + rename) so a power cut mid-write never leaves a torn file.
//
// Contract: load() returns nullopt when there is no file yet and throws std::runtime_error naming the file when
// it exists but is unreadable or not a JSON object; save() throws std::runtime_error naming the file on failure.
// Not thread-safe; one store per instance.
#pragma once

#include <optional>
#include <string>

#include "setting_state.hpp"

namespace hepek::climate {

class SettingStore {
 public:
  explicit SettingStore(std::string path) : path_(std::move(path)) {}
  std::optional<Setting> load() const;
  void save(const Setting& setting) const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace hepek::climate
