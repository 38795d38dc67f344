// Helpers shared by the sim-home tests: locating shared data and writing temporary CSV files.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace hepek::sim::test {

inline std::string shared_dir() {
  const char* dir = std::getenv("HEPEK_SHARED_DIR");
  return dir ? dir : "../shared";
}

inline std::string household_csv() {
  return shared_dir() + "/data/household/ausgrid_home12_retimed_2023_jul_nov_30min.csv";
}

// A temporary file with the given content, removed when the object goes out of scope.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content)
      : path_(std::filesystem::temp_directory_path() /
              ("hepek-sim-test-" + std::to_string(::getpid()) + "-" + name)) {
    std::ofstream(path_) << content;
  }
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace hepek::sim::test
