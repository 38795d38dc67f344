// The key store ("enclave"): the device key, sign-only, each purpose granted per plugin instance in config.
//
// Contract: until a key is opened, address() is empty and sign() refuses (HEPEK_UNAVAILABLE). The key never
// leaves this object: no accessor returns it, and it is never logged. The key file, the secp256k1 signing and
// the EIP-55 address are hepek::eth's (lib/eth); this class adds the per-hub ownership and the encrypted
// backup. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "hepek/eth/keys.hpp"

namespace hepek::core {

class KeyStore {
 public:
  KeyStore();
  ~KeyStore();

  // Opens the key file, creating a new random key (mode 0600, atomically, missing directories 0700) when it
  // does not exist. Throws (std::runtime_error naming the file) when the file is readable by group or others,
  // or malformed.
  void open_or_create(const std::string& path);
  bool is_open() const;
  std::string address() const;  // EIP-55, or empty
  // r || s || v (v in {0,1}), low-s. Returns false when no key is open.
  bool sign(const uint8_t* digest32, uint8_t* signature65) const;
  // Encrypted backup of the key (AES-256-GCM under a PBKDF2-SHA256 key from the passphrase), as JSON text.
  std::string export_encrypted(const std::string& passphrase) const;

 private:
  mutable std::mutex mutex_;
  std::optional<eth::PrivateKey> key_;  // PrivateKey wipes its secret when destroyed
  std::string address_;
};

}  // namespace hepek::core
