// The key store ("enclave"): the device key, sign-only, each purpose granted per plugin instance in config.
//
// Contract: until a key is opened, address() is empty and sign() refuses (HEPEK_UNAVAILABLE). The key never
// leaves this object: no accessor returns it, and it is never logged. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace hepek::core {

class KeyStore {
 public:
  KeyStore();
  ~KeyStore();

  // Opens the key file, creating a new random key (mode 0600) when it does not exist. Throws when the file is
  // readable by group or others, or malformed.
  void open_or_create(const std::string& path);
  bool is_open() const;
  std::string address() const;  // EIP-55, or empty
  // r || s || v (v in {0,1}), low-s. Returns false when no key is open.
  bool sign(const uint8_t* digest32, uint8_t* signature65) const;
  // Encrypted backup of the key (AES-256-GCM under a PBKDF2-SHA256 key from the passphrase), as JSON text.
  std::string export_encrypted(const std::string& passphrase) const;

 private:
  mutable std::mutex mutex_;
  std::array<uint8_t, 32> secret_{};
  bool open_ = false;
  std::string address_;
};

}  // namespace hepek::core
