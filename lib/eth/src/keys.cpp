#include "hepek/eth/keys.hpp"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "hepek/eth/keccak.hpp"

namespace hepek::eth {

namespace {

void fill_random(std::uint8_t* out, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got = getrandom(out + done, size - done, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(fmt::format("getrandom failed: {}", std::strerror(errno)));
    }
    done += static_cast<std::size_t>(got);
  }
}

// One context per loaded copy of this library: created and blinded once, then only used read-only (safe across
// threads). Destroyed with the library: a plugin that links lib/eth is unloaded by the hub (dlclose), and a
// context left behind would be a leak once the pointer to it is unmapped.
const secp256k1_context* context() {
  struct Destroy {
    void operator()(secp256k1_context* context) const { secp256k1_context_destroy(context); }
  };
  static const std::unique_ptr<secp256k1_context, Destroy> instance = [] {
    std::unique_ptr<secp256k1_context, Destroy> created(secp256k1_context_create(SECP256K1_CONTEXT_NONE));
    Bytes32 seed;
    fill_random(seed.data(), seed.size());
    if (!secp256k1_context_randomize(created.get(), seed.data()))
      throw std::runtime_error("secp256k1 randomize failed");
    return created;
  }();
  return instance.get();
}

constexpr Bytes32 kOrder = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                            0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                            0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
constexpr Bytes32 kHalfOrder = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4,
                                0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};

// X || Y of the uncompressed encoding (its 0x04 prefix dropped), the form Ethereum hashes into an address.
PublicKey to_public_key(const secp256k1_pubkey& pubkey) {
  std::array<std::uint8_t, 65> serialized;
  std::size_t length = serialized.size();
  secp256k1_ec_pubkey_serialize(context(), serialized.data(), &length, &pubkey, SECP256K1_EC_UNCOMPRESSED);
  PublicKey out;
  std::copy(serialized.begin() + 1, serialized.end(), out.begin());
  return out;
}

bool is_zero(const Bytes32& value) {
  return std::all_of(value.begin(), value.end(), [](std::uint8_t b) { return b == 0; });
}

}  // namespace

const Bytes32& curve_order() {
  return kOrder;
}

bool is_low_s(const Bytes32& s) {
  // Big-endian arrays compare lexicographically exactly like the numbers they hold.
  return s <= kHalfOrder;
}

std::array<std::uint8_t, 65> Signature::to_bytes() const {
  std::array<std::uint8_t, 65> out;
  std::copy(r.begin(), r.end(), out.begin());
  std::copy(s.begin(), s.end(), out.begin() + 32);
  out[64] = v;
  return out;
}

std::array<std::uint8_t, 65> Signature::to_bytes_v27() const {
  std::array<std::uint8_t, 65> out = to_bytes();
  out[64] = static_cast<std::uint8_t>(v + 27);
  return out;
}

Signature Signature::from_bytes(ByteView bytes65) {
  if (bytes65.size() != 65)
    throw SignatureError(fmt::format("signature must be 65 bytes (r || s || v), got {}", bytes65.size()));
  Signature signature;
  std::copy(bytes65.begin(), bytes65.begin() + 32, signature.r.begin());
  std::copy(bytes65.begin() + 32, bytes65.begin() + 64, signature.s.begin());
  std::uint8_t v = bytes65[64];
  if (v == 27 || v == 28) v = static_cast<std::uint8_t>(v - 27);
  if (v > 1) throw SignatureError(fmt::format("signature v must be 0, 1, 27 or 28, got {}", bytes65[64]));
  signature.v = v;
  return signature;
}

PrivateKey PrivateKey::from_bytes(ByteView bytes32) {
  if (bytes32.size() != 32)
    throw std::invalid_argument(fmt::format("private key must be 32 bytes, got {}", bytes32.size()));
  Bytes32 secret;
  std::copy(bytes32.begin(), bytes32.end(), secret.begin());
  if (!secp256k1_ec_seckey_verify(context(), secret.data()))
    throw std::invalid_argument("private key is not a valid secp256k1 scalar (zero or >= curve order)");
  return PrivateKey(secret);
}

PrivateKey PrivateKey::from_hex(std::string_view text, std::string_view what) {
  Bytes bytes = ::hepek::eth::from_hex(text, what);
  if (bytes.size() != 32)
    throw std::invalid_argument(
        fmt::format("{}: must be 32 bytes (64 hex digits), got {}", what, bytes.size()));
  try {
    PrivateKey key = from_bytes(bytes);
    std::fill(bytes.begin(), bytes.end(), 0);
    return key;
  } catch (const std::invalid_argument& error) {
    std::fill(bytes.begin(), bytes.end(), 0);
    throw std::invalid_argument(fmt::format("{}: {}", what, error.what()));
  }
}

PrivateKey PrivateKey::generate() {
  for (;;) {
    Bytes32 secret;
    fill_random(secret.data(), secret.size());
    if (secp256k1_ec_seckey_verify(context(), secret.data())) return PrivateKey(secret);
  }
}

PrivateKey::~PrivateKey() {
  // volatile so the compiler cannot drop the wipe of memory that is about to die.
  volatile std::uint8_t* p = secret_.data();
  for (std::size_t i = 0; i < secret_.size(); ++i) p[i] = 0;
}

PublicKey PrivateKey::public_key() const {
  secp256k1_pubkey pubkey;
  if (!secp256k1_ec_pubkey_create(context(), &pubkey, secret_.data()))
    throw std::runtime_error("secp256k1: public key creation failed");
  return to_public_key(pubkey);
}

Address PrivateKey::address() const {
  return address_from_public_key(public_key());
}

Signature PrivateKey::sign(const Bytes32& digest) const {
  secp256k1_ecdsa_recoverable_signature raw;
  if (!secp256k1_ecdsa_sign_recoverable(context(), &raw, digest.data(), secret_.data(), nullptr, nullptr))
    throw std::runtime_error("secp256k1: signing failed");
  std::array<std::uint8_t, 64> compact;
  int recovery_id = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), compact.data(), &recovery_id, &raw);
  Signature signature;
  std::copy(compact.begin(), compact.begin() + 32, signature.r.begin());
  std::copy(compact.begin() + 32, compact.end(), signature.s.begin());
  signature.v = static_cast<std::uint8_t>(recovery_id);
  // libsecp256k1 always produces low-s; Ethereum depends on it, so fail loudly if that ever changes.
  if (!is_low_s(signature.s)) throw std::logic_error("secp256k1 produced a high-s signature");
  return signature;
}

Address address_from_public_key(const PublicKey& key) {
  const Bytes32 hash = keccak256(key);
  Address address;
  std::copy(hash.begin() + 12, hash.end(), address.bytes.begin());
  return address;
}

PublicKey recover_public_key(const Bytes32& digest, const Signature& signature) {
  if (signature.v > 1) throw SignatureError(fmt::format("signature v must be 0 or 1, got {}", signature.v));
  if (is_zero(signature.r) || is_zero(signature.s)) throw SignatureError("signature r or s is zero");
  if (signature.r >= kOrder || signature.s >= kOrder)
    throw SignatureError("signature r or s is not below the curve order");
  if (!is_low_s(signature.s)) throw SignatureError("signature has a high s value (malleable form rejected)");
  std::array<std::uint8_t, 64> compact;
  std::copy(signature.r.begin(), signature.r.end(), compact.begin());
  std::copy(signature.s.begin(), signature.s.end(), compact.begin() + 32);
  secp256k1_ecdsa_recoverable_signature raw;
  if (!secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &raw, compact.data(), signature.v))
    throw SignatureError("signature could not be parsed");
  secp256k1_pubkey pubkey;
  if (!secp256k1_ecdsa_recover(context(), &pubkey, &raw, digest.data()))
    throw SignatureError("no public key recovers from this signature and digest");
  return to_public_key(pubkey);
}

Address recover_address(const Bytes32& digest, const Signature& signature) {
  return address_from_public_key(recover_public_key(digest, signature));
}

}  // namespace hepek::eth
