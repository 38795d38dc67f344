#include <gtest/gtest.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "key_store.hpp"
#include "test_support.hpp"

using namespace hepek::core;

namespace {
std::string temp_path(const std::string& name) {
  static const hepek::testing::TempDir dir;  // the test kit's: removed when the test program ends
  return dir.file("key-" + name);
}
}  // namespace

TEST(KeyStore, KnownKeyGivesTheKnownAddress) {
  // Anvil/Hardhat dev account 0.
  const std::string path = temp_path("known");
  std::ofstream(path) << "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80\n";
  chmod(path.c_str(), 0600);
  KeyStore store;
  store.open_or_create(path);
  EXPECT_EQ(store.address(), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  std::filesystem::remove(path);
}

TEST(KeyStore, CreatesA0600KeyAndRefusesOneReadableByOthers) {
  const std::string path = temp_path("new");
  std::filesystem::remove(path);
  {
    KeyStore store;
    store.open_or_create(path);
    EXPECT_EQ(store.address().size(), 42u);
    struct stat info {};
    ASSERT_EQ(stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
  }
  chmod(path.c_str(), 0644);
  KeyStore again;
  EXPECT_THROW(again.open_or_create(path), std::runtime_error);
  std::filesystem::remove(path);
}

TEST(KeyStore, SignaturesRecoverToTheAddressAndAreLowS) {
  const std::string path = temp_path("sign");
  std::filesystem::remove(path);
  KeyStore store;
  uint8_t digest[32];
  for (int i = 0; i < 32; ++i) digest[i] = static_cast<uint8_t>(i * 7);
  uint8_t signature[65];
  EXPECT_FALSE(store.sign(digest, signature));
  store.open_or_create(path);
  ASSERT_TRUE(store.sign(digest, signature));
  EXPECT_LE(signature[64], 1);
  // s must be in the lower half of the curve order: its top byte < 0x80 is a necessary condition.
  EXPECT_LT(signature[32], 0x80);
  auto* ctx = secp256k1_context_create(SECP256K1_CONTEXT_VERIFY);
  secp256k1_ecdsa_recoverable_signature parsed;
  ASSERT_TRUE(secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &parsed, signature, signature[64]));
  secp256k1_pubkey key;
  EXPECT_TRUE(secp256k1_ecdsa_recover(ctx, &key, &parsed, digest));
  secp256k1_context_destroy(ctx);
  const std::string backup = store.export_encrypted("correct horse battery");
  EXPECT_NE(backup.find("aes-256-gcm"), std::string::npos);
  std::string secret;
  std::ifstream(path) >> secret;
  ASSERT_EQ(secret.size(), 64u);
  EXPECT_EQ(backup.find(secret), std::string::npos) << "the backup must not contain the key in clear";
  std::filesystem::remove(path);
}
