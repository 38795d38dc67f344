#include "money_db.hpp"

#include <fmt/format.h>
#include <hepek/storage/private_database.hpp>

namespace hepek::ergon {

std::unique_ptr<SQLite::Database> open_money_db(const std::string& path,
                                                const std::vector<std::string>& migrations) {
  const int kFlags = SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE;
  auto db = std::make_unique<SQLite::Database>(hepek::storage::make_database_private(path, kFlags), kFlags);
  db->exec("PRAGMA journal_mode=WAL");
  db->exec("PRAGMA synchronous=FULL");
  db->setBusyTimeout(5000);
  const int version = db->execAndGet("PRAGMA user_version").getInt();
  if (version > static_cast<int>(migrations.size()))
    throw std::runtime_error(fmt::format("database {} has schema version {}, newer than this build's {}",
                                         path, version, migrations.size()));
  for (std::size_t i = static_cast<std::size_t>(version); i < migrations.size(); ++i) {
    SQLite::Transaction transaction(*db);
    db->exec(migrations[i]);
    db->exec(fmt::format("PRAGMA user_version = {}", i + 1));
    transaction.commit();
  }
  return db;
}

std::string meta_get(SQLite::Database& db, const std::string& key, const std::string& fallback) {
  SQLite::Statement query(db, "SELECT value FROM meta WHERE key = ?");
  query.bind(1, key);
  return query.executeStep() ? query.getColumn(0).getString() : fallback;
}

void meta_set(SQLite::Database& db, const std::string& key, const std::string& value) {
  SQLite::Statement update(
      db, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  update.bind(1, key);
  update.bind(2, value);
  update.exec();
}

}  // namespace hepek::ergon
