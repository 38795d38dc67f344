#include "key_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "hepek/eth/hex.hpp"

namespace hepek::ergon {

eth::PrivateKey load_or_create_key(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) {
    if ((info.st_mode & 077) != 0)
      throw std::runtime_error("key file " + path + " is readable by others (chmod 600 it)");
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::string hex = text.str();
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) hex.pop_back();
    return eth::PrivateKey::from_hex(hex, "key file " + path);
  }
  const eth::PrivateKey key = eth::PrivateKey::generate();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw std::runtime_error("cannot create key file " + path);
  const std::string hex = eth::to_hex(key.secret_bytes(), false) + "\n";
  const bool written =
      ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) throw std::runtime_error("cannot write key file " + path);
  return key;
}

}  // namespace hepek::ergon
