#include "schema.hpp"

#include <fstream>

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include "recorder_store.hpp"
#include "test_support.hpp"

namespace hepek::recorder {
namespace {

using testing::TempDir;

constexpr int64_t kStart = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
constexpr int64_t kQuarter = 900'000;

TEST(Schema, AnEmptyFileIsVersionZeroAndMigratesToCurrent) {
  TempDir dir;
  const std::string path = dir.file("r.db");
  std::ofstream(path).close();  // a zero-byte file: what an interrupted first start could leave
  {
    SQLite::Database database(path, SQLite::OPEN_READWRITE);
    EXPECT_EQ(schema_version(database), 0);
  }
  RecorderStore store(path);
  EXPECT_EQ(schema_version(store.database()), kSchemaVersion);
}

// A database written by the version-1 recorder: aggregates without last_ts_ms. Opening it migrates forward,
// keeps every row, and backfills last_ts_ms from the raw samples where they still exist.
TEST(Schema, MigratesAVersionOneDatabaseKeepingItsData) {
  TempDir dir;
  const std::string path = dir.file("r.db");
  {
    SQLite::Database v1(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    migrate(v1, 1);
    ASSERT_EQ(schema_version(v1), 1);
    v1.exec(R"sql(
      INSERT INTO devices VALUES ('meter', 'Grid meter',
        '{"schema":1,"device":"meter","entities":[{"field":"power","unit":"W","state_class":"measurement"}]}', 0);
      INSERT INTO series (id, device, field, unit, state_class) VALUES (1, 'meter', 'power', 'W', 'measurement');
      INSERT INTO samples VALUES (1, 1704067200000, 10), (1, 1704067260000, 20);
      INSERT INTO aggregates_15m VALUES (1, 1704067200000, 10, 20, 30, 2, 20);
      INSERT INTO aggregates_15m VALUES (1, 1704060000000, 5, 5, 5, 1, 5);  -- raw already pruned
    )sql");
  }
  RecorderStore store(path, {.batch_size = 1});
  EXPECT_EQ(schema_version(store.database()), 2);
  SQLite::Statement rows(store.database(),
                         "SELECT bucket_ms, last_ts_ms, count FROM aggregates_15m ORDER BY bucket_ms");
  ASSERT_TRUE(rows.executeStep());
  EXPECT_EQ(rows.getColumn(0).getInt64(), 1704060000000);
  EXPECT_EQ(rows.getColumn(1).getInt64(), 1704060000000);  // no raw left: the bucket start
  ASSERT_TRUE(rows.executeStep());
  EXPECT_EQ(rows.getColumn(1).getInt64(), 1704067260000);  // the newest raw sample in the bucket
  EXPECT_EQ(rows.getColumn(2).getInt64(), 2);
  rows.reset();

  // The migrated data takes part in new writes: an older late sample does not replace "last".
  store.add({"meter", "power", kStart + 30'000, 99});
  SeriesQuery query;
  query.device = "meter";
  query.from_ms = kStart;
  query.to_ms = kStart + kQuarter;
  query.resolution = Resolution::quarter_hour;
  query.statistic = Statistic::last;
  auto last = store.query(query);
  ASSERT_TRUE(last) << last.error();
  EXPECT_EQ(last->series.at(0).points, (std::vector<SeriesPoint>{{kStart, 20}}));
  query.statistic = Statistic::max;
  auto max = store.query(query);
  ASSERT_TRUE(max);
  EXPECT_EQ(max->series.at(0).points, (std::vector<SeriesPoint>{{kStart, 99}}));
  EXPECT_EQ(store.load_devices().size(), 1u);
}

TEST(Schema, ReopeningACurrentDatabaseChangesNothing) {
  TempDir dir;
  const std::string path = dir.file("r.db");
  { RecorderStore first(path); }
  RecorderStore second(path);
  EXPECT_EQ(schema_version(second.database()), kSchemaVersion);
}

TEST(Schema, RefusesADatabaseFromANewerRecorder) {
  TempDir dir;
  const std::string path = dir.file("r.db");
  {
    SQLite::Database future(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    future.exec("PRAGMA user_version = 9");
  }
  try {
    RecorderStore store(path);
    FAIL() << "a newer schema must be refused";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("schema version 9"), std::string::npos) << message;
    EXPECT_NE(message.find("r.db"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace hepek::recorder
