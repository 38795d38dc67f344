// secp256k1 keys, recoverable ECDSA signatures and address recovery (libsecp256k1 with its recovery module).
//
// Contract:
// - PrivateKey holds a valid scalar (0 < k < n); construction from invalid bytes throws
// std::invalid_argument.
//   The secret is wiped on destruction and never printed (no to_hex on purpose; secret_bytes() is explicit).
// - sign(digest) signs a 32-byte digest deterministically (RFC 6979) and always returns low-s with v in {0,
// 1}.
// - recover_address() rejects high-s signatures (s > n/2), v outside {0, 1} (27/28 are accepted and
// normalised),
//   r or s zero or >= n, throwing SignatureError; it never returns a made-up address.
// Thread-safe: the library context is created once and used read-only.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "hepek/eth/address.hpp"
#include "hepek/eth/hex.hpp"

namespace hepek::eth {

class SignatureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// 65 bytes r || s || v as Ethereum uses them; v is the recovery id 0 or 1.
struct Signature {
  Bytes32 r{};
  Bytes32 s{};
  std::uint8_t v = 0;

  std::array<std::uint8_t, 65> to_bytes() const;
  // r || s || (v + 27): the form Solidity's ecrecover and OpenZeppelin ECDSA.recover accept (they reject v
  // 0/1).
  std::array<std::uint8_t, 65> to_bytes_v27() const;
  // Accepts v in {0, 1, 27, 28}; other lengths or v values throw SignatureError.
  static Signature from_bytes(ByteView bytes65);
  bool operator==(const Signature&) const = default;
};

// Uncompressed public key without the 0x04 prefix: X || Y.
using PublicKey = std::array<std::uint8_t, 64>;

class PrivateKey {
 public:
  static PrivateKey from_bytes(ByteView bytes32);
  static PrivateKey from_hex(std::string_view text, std::string_view what = "private key");
  // A fresh key from the operating system's random source (getrandom).
  static PrivateKey generate();

  PrivateKey(const PrivateKey&) = default;
  PrivateKey& operator=(const PrivateKey&) = default;
  ~PrivateKey();

  PublicKey public_key() const;
  Address address() const;
  Signature sign(const Bytes32& digest) const;
  const Bytes32& secret_bytes() const { return secret_; }

 private:
  explicit PrivateKey(const Bytes32& secret) : secret_(secret) {}
  Bytes32 secret_{};
};

Address address_from_public_key(const PublicKey& key);

// True if s <= n/2 (the only form Ethereum accepts since Homestead / OpenZeppelin ECDSA).
bool is_low_s(const Bytes32& s);

PublicKey recover_public_key(const Bytes32& digest, const Signature& signature);
Address recover_address(const Bytes32& digest, const Signature& signature);

// The secp256k1 group order n (big-endian), for tests that build high-s signatures (s' = n - s).
const Bytes32& curve_order();

}  // namespace hepek::eth
