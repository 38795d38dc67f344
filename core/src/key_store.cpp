#include "key_store.hpp"

#include <cryptopp/aes.h>
#include <cryptopp/filters.h>
#include <cryptopp/gcm.h>
#include <cryptopp/keccak.h>
#include <cryptopp/osrng.h>
#include <cryptopp/pwdbased.h>
#include <cryptopp/sha.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace hepek::core {

namespace {

std::string to_hex(const uint8_t* data, std::size_t size) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

int hex_value(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

secp256k1_context* context() {
  static secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
  return ctx;
}

std::string checksum_address(const uint8_t* address20) {
  const std::string lower = to_hex(address20, 20);
  uint8_t hash[32];
  CryptoPP::Keccak_256 keccak;
  keccak.CalculateDigest(hash, reinterpret_cast<const uint8_t*>(lower.data()), lower.size());
  std::string out = "0x";
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const int nibble = (i % 2 == 0) ? (hash[i / 2] >> 4) : (hash[i / 2] & 15);
    out += (nibble >= 8 && lower[i] >= 'a') ? static_cast<char>(lower[i] - 32) : lower[i];
  }
  return out;
}

}  // namespace

KeyStore::KeyStore() = default;
KeyStore::~KeyStore() {
  secret_.fill(0);
}

void KeyStore::open_or_create(const std::string& path) {
  std::lock_guard lock(mutex_);
  struct stat info {};
  if (stat(path.c_str(), &info) == 0) {
    if (info.st_mode & 077)
      throw std::runtime_error(fmt::format(
          "refusing to start: the device key {} is readable by others (mode {:o}); run chmod 600 on it", path,
          info.st_mode & 0777));
    std::ifstream in(path);
    std::string text;
    std::getline(in, text);
    if (text.rfind("0x", 0) == 0) text = text.substr(2);
    if (text.size() != 64) throw std::runtime_error("the device key " + path + " is not 32 bytes of hex");
    for (std::size_t i = 0; i < 32; ++i) {
      const int high = hex_value(text[2 * i]), low = hex_value(text[2 * i + 1]);
      if (high < 0 || low < 0) throw std::runtime_error("the device key " + path + " is not hex");
      secret_[i] = static_cast<uint8_t>(high * 16 + low);
    }
    if (!secp256k1_ec_seckey_verify(context(), secret_.data()))
      throw std::runtime_error("the device key " + path + " is not a valid secp256k1 key");
  } else {
    CryptoPP::AutoSeededRandomPool random;
    do {
      random.GenerateBlock(secret_.data(), secret_.size());
    } while (!secp256k1_ec_seckey_verify(context(), secret_.data()));
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create the device key " + path);
    const std::string text = to_hex(secret_.data(), secret_.size()) + "\n";
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    fsync(fd);
    ::close(fd);
    if (!written) throw std::runtime_error("cannot write the device key " + path);
  }
  secp256k1_pubkey public_key;
  if (!secp256k1_ec_pubkey_create(context(), &public_key, secret_.data()))
    throw std::runtime_error("cannot derive the device public key");
  uint8_t serialized[65];
  size_t length = sizeof serialized;
  secp256k1_ec_pubkey_serialize(context(), serialized, &length, &public_key, SECP256K1_EC_UNCOMPRESSED);
  uint8_t hash[32];
  CryptoPP::Keccak_256 keccak;
  keccak.CalculateDigest(hash, serialized + 1, 64);
  address_ = checksum_address(hash + 12);
  open_ = true;
}

bool KeyStore::is_open() const {
  std::lock_guard lock(mutex_);
  return open_;
}

std::string KeyStore::address() const {
  std::lock_guard lock(mutex_);
  return address_;
}

bool KeyStore::sign(const uint8_t* digest32, uint8_t* signature65) const {
  std::lock_guard lock(mutex_);
  if (!open_) return false;
  secp256k1_ecdsa_recoverable_signature signature;
  // RFC 6979 nonces; libsecp256k1 always produces low-s signatures.
  if (!secp256k1_ecdsa_sign_recoverable(context(), &signature, digest32, secret_.data(), nullptr, nullptr))
    return false;
  int recovery_id = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), signature65, &recovery_id, &signature);
  signature65[64] = static_cast<uint8_t>(recovery_id);
  return true;
}

std::string KeyStore::export_encrypted(const std::string& passphrase) const {
  std::lock_guard lock(mutex_);
  if (!open_) throw std::runtime_error("no device key is open");
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
      secret_.data(), secret_.size(), true,
      new CryptoPP::AuthenticatedEncryptionFilter(cipher, new CryptoPP::StringSink(sealed)));
  std::fill(std::begin(key), std::end(key), 0);
  nlohmann::json backup{
      {"format", "hepek-key-backup-1"},
      {"address", address_},
      {"kdf",
       {{"name", "pbkdf2-hmac-sha256"}, {"iterations", iterations}, {"salt", to_hex(salt, sizeof salt)}}},
      {"cipher", {{"name", "aes-256-gcm"}, {"iv", to_hex(iv, sizeof iv)}}},
      {"ciphertext", to_hex(reinterpret_cast<const uint8_t*>(sealed.data()), sealed.size())}};
  return backup.dump(2) + "\n";
}

}  // namespace hepek::core
