#include "hepek/storage/json_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <hepek/json_limits.hpp>

namespace hepek::storage {
namespace {

std::runtime_error failure(const std::string& what, const std::string& action, const std::string& path,
                           const std::string& why) {
  return std::runtime_error("cannot " + action + " the " + what + " file " + path + ": " + why);
}

// Opens `path` (a file or a directory) and fsyncs it; throws on failure.
void sync_path(const std::string& path, int flags, const std::string& what, const std::string& shown) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw failure(what, "sync", shown, std::strerror(errno));
  const int result = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (result != 0) throw failure(what, "sync", shown, std::strerror(saved));
}

}  // namespace

std::optional<nlohmann::json> read_json_file(const std::string& path, const std::string& what) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    if (!std::filesystem::exists(path)) return std::nullopt;
    throw failure(what, "read", path, "cannot open it");
  }
  std::stringstream text;
  text << file.rdbuf();
  auto parsed = json_limits::parse_limited(text.str());
  if (!parsed) throw failure(what, "use", path, parsed.error());
  if (!parsed->is_object()) throw failure(what, "use", path, "it is not a JSON object");
  return std::move(parsed).value();
}

void write_json_file(const std::string& path, const nlohmann::json& document, const std::string& what) {
  const std::filesystem::path target(path);
  const std::filesystem::path directory = target.has_parent_path() ? target.parent_path() : ".";
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) throw failure(what, "write", path, "cannot create its directory: " + error.message());
  const std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file << document.dump() << "\n";
    file.flush();
    if (!file) throw failure(what, "write", temporary, "the write failed");
  }
  sync_path(temporary, O_RDONLY, what, temporary);
  std::filesystem::rename(temporary, target, error);
  if (error) throw failure(what, "replace", path, error.message());
  sync_path(directory.string(), O_RDONLY | O_DIRECTORY, what, path);
}

}  // namespace hepek::storage
