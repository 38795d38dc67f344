// A secp256k1 private key kept in a file readable by its owner only (the operator key, the member's owner
// key).
//
// Contract: load_or_create_key(path) reads 64 hex digits (optional 0x, trailing newline) or, if the file does
// not exist, generates a key and writes it with mode 0600 (created exclusively, fsynced). A file readable by
// group or others is refused (std::runtime_error naming the path), as is malformed content.
#pragma once

#include <string>

#include "hepek/eth/keys.hpp"

namespace hepek::ergon {

eth::PrivateKey load_or_create_key(const std::string& path);

}  // namespace hepek::ergon
