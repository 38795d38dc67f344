// open_private_database against the real SQLite: the database, its WAL and its shared-memory file are 0600,
// whatever the umask, for a new database and for one that an older build left 0644.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <hepek/storage/private_database.hpp>

#include "test_support.hpp"

namespace {

unsigned mode_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return 0;
  return info.st_mode & 0777;
}

TEST(PrivateDatabase, NewDatabaseAndItsWalAndShmAre0600EvenWithAPermissiveUmask) {
  hepek::testing::TempDir dir;
  const std::string path = dir.file("new.db");
  const mode_t old_umask = ::umask(0);
  {
    auto db = hepek::storage::open_private_database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("CREATE TABLE t (x INTEGER)");
    db.exec("INSERT INTO t VALUES (1)");
    EXPECT_EQ(mode_of(path), 0600u);
    EXPECT_EQ(mode_of(path + "-wal"), 0600u);
    EXPECT_EQ(mode_of(path + "-shm"), 0600u);
  }
  ::umask(old_umask);
}

TEST(PrivateDatabase, AnExistingWorldReadableDatabaseBecomes0600) {
  hepek::testing::TempDir dir;
  const std::string path = dir.file("old.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE t (x INTEGER)");
  }
  ::chmod(path.c_str(), 0644);
  auto db = hepek::storage::open_private_database(path, SQLite::OPEN_READWRITE);
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM t").getInt(), 0);
}

TEST(PrivateDatabase, AMissingDatabaseWithoutCreateIsAnError) {
  hepek::testing::TempDir dir;
  EXPECT_THROW(hepek::storage::open_private_database(dir.file("absent.db"), SQLite::OPEN_READWRITE),
               SQLite::Exception);
}

}  // namespace
