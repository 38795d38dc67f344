// A secp256k1 private key kept in a file only its owner can read: the hub's device key, the ergon operator
// key, the member's owner key. The one implementation of the 0600 key file.
//
// Contract:
// - write_key_file(path, key) stores 64 lower-case hex digits and a newline atomically: it writes a temporary
//   file beside `path` (mode 0600, created exclusively), fsyncs it, renames it to `path` without replacing
//   anything (an existing key is never overwritten: that is an error) and fsyncs the directory, so a reader
//   sees either no file or the whole key. Missing parent directories are created with mode 0700; existing
//   ones are left as they are.
// - read_key_file(path) reads 64 hex digits (optional 0x, trailing whitespace allowed). It refuses a path
//   that does not exist or is not a regular file, a file with any group or other permission bit set (mode
//   & 077), and empty or malformed content.
// - load_or_create_key_file(path) reads `path`, or when it does not exist generates a key and writes it. When
//   another process creates the file at the same moment, the key that was stored first is read back.
// Errors: KeyFileError (a std::runtime_error) whose message starts with `what` and the path, e.g.
// "device key /var/lib/hepek/keys/device.key is readable by group or others (mode 644); run chmod 600 on it".
// Thread-safe (no shared state). The secret is wiped from every buffer this code reads it into.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string_view>

#include "hepek/eth/keys.hpp"

namespace hepek::eth {

class KeyFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

PrivateKey read_key_file(const std::filesystem::path& path, std::string_view what = "key file");
void write_key_file(const std::filesystem::path& path, const PrivateKey& key,
                    std::string_view what = "key file");
PrivateKey load_or_create_key_file(const std::filesystem::path& path, std::string_view what = "key file");

}  // namespace hepek::eth
