// The 0600 key file: created private and atomically, read back, refused when others can read it or when it is
// malformed, with errors naming the file.
#include "hepek/eth/key_file.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace hepek::eth {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDevKey = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr const char* kDevAddress = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

unsigned mode_of(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 0777;
}

void write_text(const std::string& path, const std::string& text, unsigned mode) {
  std::ofstream(path) << text;
  ::chmod(path.c_str(), mode);
}

std::string error_of(const std::string& path) {
  try {
    read_key_file(path, "device key");
  } catch (const KeyFileError& error) {
    return error.what();
  }
  return "(no error)";
}

// Each test gets its own empty directory, removed afterwards.
class KeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / fmt::format("hepek_key_file_{}_{}", ::getpid(), info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  std::string temp_path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path temp_dir() const { return dir_; }

 private:
  fs::path dir_;
};

// Moved from plugins/ergon/test/stores_test.cpp (the ergon copy of the key file is gone).
TEST_F(KeyFile, CreatedPrivateAndReloaded) {
  const std::string path = temp_path("owner.key");
  const auto key = load_or_create_key_file(path);
  EXPECT_EQ((fs::status(path).permissions() & fs::perms::others_read), fs::perms::none);
  EXPECT_EQ(load_or_create_key_file(path).address(), key.address());
  fs::permissions(path, fs::perms::others_read, fs::perm_options::add);
  EXPECT_THROW(load_or_create_key_file(path), std::runtime_error);
}

TEST_F(KeyFile, WritesMode0600InNewMode0700DirectoriesAndLeavesNoTemporaryFile) {
  const std::string root = temp_path("nested");
  const fs::path path = fs::path(root) / "keys" / "device.key";
  const PrivateKey key = PrivateKey::from_hex(kDevKey);
  write_key_file(path, key, "device key");
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(mode_of(root), 0700u);
  EXPECT_EQ(mode_of(path.parent_path()), 0700u);
  std::string text;
  std::getline(std::ifstream(path), text);
  EXPECT_EQ(text, kDevKey);
  EXPECT_EQ(std::distance(fs::directory_iterator(path.parent_path()), fs::directory_iterator()), 1)
      << "only the key itself is left in its directory";
  EXPECT_EQ(read_key_file(path).address().checksummed(), kDevAddress);
}

TEST_F(KeyFile, NeverOverwritesAnExistingKey) {
  const std::string path = temp_path("existing.key");
  write_text(path, std::string(kDevKey) + "\n", 0600);
  try {
    write_key_file(path, PrivateKey::generate(), "operator key");
    FAIL() << "an existing key was overwritten";
  } catch (const KeyFileError& error) {
    EXPECT_NE(std::string(error.what()).find("operator key " + path + " already exists"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(read_key_file(path).address().checksummed(), kDevAddress);
  EXPECT_EQ(load_or_create_key_file(path).address().checksummed(), kDevAddress);
  EXPECT_EQ(std::distance(fs::directory_iterator(temp_dir()), fs::directory_iterator()), 1)
      << "the refused write left its temporary file behind";
}

TEST_F(KeyFile, AcceptsPrefixAndTrailingWhitespace) {
  const std::string path = temp_path("prefixed.key");
  write_text(path, "0x" + std::string(kDevKey) + " \r\n", 0600);
  EXPECT_EQ(read_key_file(path).address().checksummed(), kDevAddress);
}

TEST_F(KeyFile, RefusesGroupOrWorldPermissionsNamingTheFileAndMode) {
  const std::string path = temp_path("open.key");
  for (const unsigned mode : {0640u, 0604u, 0620u, 0660u}) {
    write_text(path, kDevKey, mode);
    const std::string error = error_of(path);
    EXPECT_NE(error.find("device key " + path + " is readable by group or others"), std::string::npos)
        << error;
    EXPECT_NE(error.find(fmt::format("mode {:o}", mode)), std::string::npos) << error;
    EXPECT_NE(error.find("chmod 600"), std::string::npos) << error;
    fs::remove(path);
  }
}

TEST_F(KeyFile, MalformedContentIsAnErrorNamingTheFile) {
  const std::string path = temp_path("bad.key");
  const struct {
    std::string content;
    std::string says;
  } cases[] = {
      {"", "is empty"},
      {"\n", "is empty"},
      {std::string(kDevKey).substr(0, 62), "must be 32 bytes"},
      {std::string(kDevKey) + "00", "must be 32 bytes"},
      {std::string(kDevKey).replace(10, 1, "g"), "position"},
      {std::string(64, '0'), "not a valid secp256k1"},
      {std::string(64, 'f'), "not a valid secp256k1"},
      {std::string(5000, 'a'), "too large"},
  };
  for (const auto& bad : cases) {
    write_text(path, bad.content, 0600);
    const std::string error = error_of(path);
    EXPECT_EQ(error.rfind("device key " + path, 0), 0u) << error;
    EXPECT_NE(error.find(bad.says), std::string::npos) << "content '" << bad.content << "': " << error;
    fs::remove(path);
  }
}

TEST_F(KeyFile, MissingFileOrDirectoryIsAnErrorOnRead) {
  const std::string path = temp_path("missing.key");
  EXPECT_EQ(error_of(path), "device key " + path + " does not exist");
  fs::create_directories(path);
  EXPECT_EQ(error_of(path), "device key " + path + " is not a regular file");
  EXPECT_THROW(load_or_create_key_file(path), KeyFileError);
}

TEST_F(KeyFile, CreateFailsClearlyWhereTheDirectoryCannotBeMade) {
  const std::string blocker = temp_path("a-file");
  write_text(blocker, "not a directory", 0600);
  try {
    load_or_create_key_file(fs::path(blocker) / "device.key", "device key");
    FAIL() << "created a key below a regular file";
  } catch (const KeyFileError& error) {
    EXPECT_EQ(std::string(error.what()).rfind("device key " + blocker + "/device.key: cannot", 0), 0u)
        << error.what();
  }
}

}  // namespace
}  // namespace hepek::eth
