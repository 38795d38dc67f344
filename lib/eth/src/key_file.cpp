#include "hepek/eth/key_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "hepek/eth/hex.hpp"

namespace hepek::eth {

namespace {

namespace fs = std::filesystem;

// 64 hex digits, an optional 0x and a newline fit many times; anything larger is not a key file.
constexpr std::size_t kMaxKeyFileBytes = 4096;

[[noreturn]] void fail(std::string_view what, const fs::path& path, std::string_view problem) {
  throw KeyFileError(fmt::format("{} {} {}", what, path.string(), problem));
}

[[noreturn]] void fail_errno(std::string_view what, const fs::path& path, std::string_view action) {
  throw KeyFileError(fmt::format("{} {}: cannot {}: {}", what, path.string(), action, std::strerror(errno)));
}

// Closes a descriptor on every path out of a function.
struct Descriptor {
  int fd = -1;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

void wipe(void* data, std::size_t size) {
  // volatile so the compiler cannot drop the wipe of memory that is about to die.
  volatile auto* bytes = static_cast<volatile unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = 0;
}

void create_private_directories(const fs::path& directory, std::string_view what, const fs::path& path) {
  if (directory.empty() || fs::is_directory(directory)) return;
  create_private_directories(directory.parent_path(), what, path);
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST)
    fail_errno(what, path, "create the directory " + directory.string());
}

void write_all(int fd, std::string_view text, std::string_view what, const fs::path& path) {
  while (!text.empty()) {
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) fail_errno(what, path, "write");
    text.remove_prefix(static_cast<std::size_t>(written));
  }
}

// Moves `from` to `to` unless `to` exists. False when it does.
bool rename_no_replace(const fs::path& from, const fs::path& to, std::string_view what) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno == EEXIST) return false;
  if (errno != EINVAL && errno != ENOSYS) fail_errno(what, to, "store the key");
  // A file system without RENAME_NOREPLACE: a hard link fails just as atomically when `to` exists.
  if (::link(from.c_str(), to.c_str()) == 0) return true;
  if (errno == EEXIST) return false;
  fail_errno(what, to, "store the key");
}

void sync_directory(const fs::path& directory, std::string_view what, const fs::path& path) {
  Descriptor dir{::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (dir.fd < 0 || ::fsync(dir.fd) != 0) fail_errno(what, path, "sync its directory");
}

// Writes the key; false (and nothing changed) when `path` already exists.
bool store_new_key(const fs::path& path, const PrivateKey& key, std::string_view what) {
  const fs::path directory = path.parent_path();
  create_private_directories(directory, what, path);
  std::string temporary = path.string() + ".tmp-XXXXXX";
  Descriptor file{::mkostemp(temporary.data(), O_CLOEXEC)};  // mode 0600, created exclusively
  if (file.fd < 0) fail_errno(what, path, "create a temporary file");
  std::string text = to_hex(key.secret_bytes(), false) + "\n";
  try {
    write_all(file.fd, text, what, path);
    wipe(text.data(), text.size());
    if (::fsync(file.fd) != 0) fail_errno(what, path, "sync");
    const bool stored = rename_no_replace(temporary, path, what);
    ::unlink(temporary.c_str());  // left over after the link fallback or when `path` exists
    if (stored) sync_directory(directory, what, path);
    return stored;
  } catch (...) {
    wipe(text.data(), text.size());
    ::unlink(temporary.c_str());
    throw;
  }
}

}  // namespace

PrivateKey read_key_file(const fs::path& path, std::string_view what) {
  Descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) {
    if (errno == ENOENT) fail(what, path, "does not exist");
    fail_errno(what, path, "open");
  }
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) fail_errno(what, path, "stat");
  if (!S_ISREG(info.st_mode)) fail(what, path, "is not a regular file");
  if ((info.st_mode & 077) != 0)
    fail(what, path,
         fmt::format("is readable by group or others (mode {:o}); run chmod 600 on it", info.st_mode & 0777));
  std::array<char, kMaxKeyFileBytes + 1> buffer{};
  std::size_t size = 0;
  while (size < buffer.size()) {
    const ssize_t got = ::read(file.fd, buffer.data() + size, buffer.size() - size);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      wipe(buffer.data(), buffer.size());
      fail_errno(what, path, "read");
    }
    if (got == 0) break;
    size += static_cast<std::size_t>(got);
  }
  std::string_view text(buffer.data(), size);
  while (!text.empty() &&
         (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  try {
    if (size > kMaxKeyFileBytes) fail(what, path, "is too large to be a key (expected 64 hex digits)");
    if (text.empty()) fail(what, path, "is empty (expected 64 hex digits)");
    PrivateKey key = PrivateKey::from_hex(text, fmt::format("{} {}", what, path.string()));
    wipe(buffer.data(), buffer.size());
    return key;
  } catch (const std::invalid_argument& error) {
    wipe(buffer.data(), buffer.size());
    throw KeyFileError(error.what());
  } catch (...) {
    wipe(buffer.data(), buffer.size());
    throw;
  }
}

void write_key_file(const fs::path& path, const PrivateKey& key, std::string_view what) {
  if (!store_new_key(path, key, what)) fail(what, path, "already exists; refusing to overwrite a key");
}

PrivateKey load_or_create_key_file(const fs::path& path, std::string_view what) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) return read_key_file(path, what);
  if (errno != ENOENT) fail_errno(what, path, "stat");
  PrivateKey key = PrivateKey::generate();
  if (store_new_key(path, key, what)) return key;
  return read_key_file(path, what);  // another process stored its key first: use that one
}

}  // namespace hepek::eth
