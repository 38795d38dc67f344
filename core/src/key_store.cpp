#include "key_store.hpp"

#include <cryptopp/aes.h>
#include <cryptopp/filters.h>
#include <cryptopp/gcm.h>
#include <cryptopp/osrng.h>
#include <cryptopp/pwdbased.h>
#include <cryptopp/sha.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "hepek/eth/hex.hpp"
#include "hepek/eth/key_file.hpp"

namespace hepek::core {

KeyStore::KeyStore() = default;
KeyStore::~KeyStore() = default;

void KeyStore::open_or_create(const std::string& path) {
  std::lock_guard lock(mutex_);
  key_.reset();
  address_.clear();
  key_.emplace(eth::load_or_create_key_file(path, "device key"));
  address_ = key_->address().checksummed();
}

bool KeyStore::is_open() const {
  std::lock_guard lock(mutex_);
  return key_.has_value();
}

std::string KeyStore::address() const {
  std::lock_guard lock(mutex_);
  return address_;
}

bool KeyStore::sign(const uint8_t* digest32, uint8_t* signature65) const {
  std::lock_guard lock(mutex_);
  if (!key_) return false;
  eth::Bytes32 digest;
  std::copy(digest32, digest32 + digest.size(), digest.begin());
  try {
    // RFC 6979 nonces, low-s, v in {0, 1}.
    const auto signature = key_->sign(digest).to_bytes();
    std::copy(signature.begin(), signature.end(), signature65);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

std::string KeyStore::export_encrypted(const std::string& passphrase) const {
  std::lock_guard lock(mutex_);
  if (!key_) throw std::runtime_error("no device key is open");
  if (passphrase.size() < 8)
    throw std::runtime_error("the backup passphrase must have at least 8 characters");
  CryptoPP::AutoSeededRandomPool random;
  uint8_t salt[16], iv[12], key[32];
  random.GenerateBlock(salt, sizeof salt);
  random.GenerateBlock(iv, sizeof iv);
  const unsigned iterations = 600000;
  CryptoPP::PKCS5_PBKDF2_HMAC<CryptoPP::SHA256> kdf;
  kdf.DeriveKey(key, sizeof key, 0, reinterpret_cast<const uint8_t*>(passphrase.data()), passphrase.size(),
                salt, sizeof salt, iterations);
  CryptoPP::GCM<CryptoPP::AES>::Encryption cipher;
  cipher.SetKeyWithIV(key, sizeof key, iv, sizeof iv);
  std::string sealed;
  CryptoPP::StringSource source(
      key_->secret_bytes().data(), key_->secret_bytes().size(), true,
      new CryptoPP::AuthenticatedEncryptionFilter(cipher, new CryptoPP::StringSink(sealed)));
  std::fill(std::begin(key), std::end(key), 0);
  nlohmann::json backup{
      {"format", "hepek-key-backup-1"},
      {"address", address_},
      {"kdf",
       {{"name", "pbkdf2-hmac-sha256"}, {"iterations", iterations}, {"salt", eth::to_hex(salt, false)}}},
      {"cipher", {{"name", "aes-256-gcm"}, {"iv", eth::to_hex(iv, false)}}},
      {"ciphertext", eth::to_hex(eth::as_bytes(sealed), false)}};
  return backup.dump(2) + "\n";
}

}  // namespace hepek::core
