// Opening a money database: SQLite with synchronous=FULL (a committed write survives power loss), WAL, and a
// schema version with forward-only migrations.
//
// Contract: open_money_db(path, migrations) opens or creates the file, then applies migrations[v..] in one
// transaction each, recording user_version = number applied. A database newer than the code (user_version >
// migrations.size()) is refused with std::runtime_error naming the file and both versions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

namespace hepek::ergon {

std::unique_ptr<SQLite::Database> open_money_db(const std::string& path,
                                                const std::vector<std::string>& migrations);

// A small key/value table ("meta") every money database has.
std::string meta_get(SQLite::Database& db, const std::string& key, const std::string& fallback = {});
void meta_set(SQLite::Database& db, const std::string& key, const std::string& value);

}  // namespace hepek::ergon
