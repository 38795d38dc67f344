// The recorder database schema and its forward migrations, versioned with PRAGMA user_version.
//
// Contract: migrate() brings a database at any older version (0 = empty file) to `target` (default: the
// current version), each step in its own transaction together with its user_version bump, so a crash leaves a
// consistent version. A database newer than this code is refused with an error naming the file and both
// versions; nothing is ever migrated backwards. Migrations are appended only: never edit one that has
// shipped.
//
// Version history:
//   1  devices, series (one row per recorded device field), samples (raw), aggregates_15m
//   (min/max/sum/count/last) 2  aggregates_15m.last_ts_ms: "last" becomes the value with the newest
//   timestamp, not the latest written, so
//      late or out-of-order samples no longer corrupt it; backfilled from the raw samples still present.
#pragma once

#include <SQLiteCpp/Database.h>

namespace hepek::recorder {

inline constexpr int kSchemaVersion = 2;

int schema_version(SQLite::Database& database);
// Throws std::runtime_error for a newer database; SQLite::Exception for I/O errors.
void migrate(SQLite::Database& database, int target = kSchemaVersion);

}  // namespace hepek::recorder
