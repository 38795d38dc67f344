#include "schema.hpp"

#include <stdexcept>

#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

namespace hepek::recorder {
namespace {

constexpr const char* kMigrationTo1 = R"sql(
CREATE TABLE devices (
  name        TEXT PRIMARY KEY,
  title       TEXT NOT NULL DEFAULT '',
  metadata    TEXT NOT NULL,          -- the hepek/<device>/config JSON as last announced
  updated_ms  INTEGER NOT NULL
);
CREATE TABLE series (
  id            INTEGER PRIMARY KEY,
  device        TEXT NOT NULL,
  field         TEXT NOT NULL,
  unit          TEXT NOT NULL DEFAULT '',
  device_class  TEXT NOT NULL DEFAULT '',
  state_class   TEXT NOT NULL DEFAULT '',
  UNIQUE (device, field)
);
CREATE TABLE samples (
  series_id  INTEGER NOT NULL REFERENCES series(id),
  ts_ms      INTEGER NOT NULL,
  value      REAL NOT NULL
);
CREATE INDEX samples_by_series_time ON samples (series_id, ts_ms);
CREATE TABLE aggregates_15m (
  series_id  INTEGER NOT NULL REFERENCES series(id),
  bucket_ms  INTEGER NOT NULL,        -- start of the 15-minute bucket, Unix ms, aligned to the epoch
  min        REAL NOT NULL,
  max        REAL NOT NULL,
  sum        REAL NOT NULL,
  count      INTEGER NOT NULL,
  last       REAL NOT NULL,
  PRIMARY KEY (series_id, bucket_ms)
) WITHOUT ROWID;
)sql";

constexpr const char* kMigrationTo2 = R"sql(
ALTER TABLE aggregates_15m ADD COLUMN last_ts_ms INTEGER NOT NULL DEFAULT 0;
UPDATE aggregates_15m SET last_ts_ms = coalesce(
  (SELECT max(s.ts_ms) FROM samples s
    WHERE s.series_id = aggregates_15m.series_id
      AND s.ts_ms >= aggregates_15m.bucket_ms AND s.ts_ms < aggregates_15m.bucket_ms + 900000),
  aggregates_15m.bucket_ms);
)sql";

constexpr const char* kMigrations[] = {kMigrationTo1, kMigrationTo2};
static_assert(std::size(kMigrations) == kSchemaVersion, "one migration per schema version");

}  // namespace

int schema_version(SQLite::Database& database) {
  return database.execAndGet("PRAGMA user_version").getInt();
}

void migrate(SQLite::Database& database, int target) {
  const int current = schema_version(database);
  if (current > kSchemaVersion)
    throw std::runtime_error(fmt::format(
        "recorder database {} has schema version {}, newer than this recorder knows ({}); upgrade HEPEK",
        database.getFilename(), current, kSchemaVersion));
  if (target > kSchemaVersion || target < current) throw std::invalid_argument("migrate: bad target version");
  for (int version = current + 1; version <= target; ++version) {
    // IMMEDIATE takes the write lock first, so a hub and a CLI opening the file together cannot both migrate.
    SQLite::Transaction transaction(database, SQLite::TransactionBehavior::IMMEDIATE);
    if (schema_version(database) >= version) continue;  // someone else migrated meanwhile
    database.exec(kMigrations[version - 1]);
    database.exec(fmt::format("PRAGMA user_version = {}", version));
    transaction.commit();
  }
}

}  // namespace hepek::recorder
