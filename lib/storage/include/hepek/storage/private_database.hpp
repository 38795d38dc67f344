// Opening a SQLite database that only its owner may read: the database file is created 0600 before SQLite
// opens it, and an existing database and its -wal, -shm and -journal files are set to 0600. SQLite creates
// its -wal, -shm and -journal files with the mode of the database file, so they are 0600 from creation too.
//
// Contract: stateless, thread-safe. Throws SQLite::Exception when SQLite cannot open the file, and
// std::runtime_error naming the path when the file cannot be created or its mode cannot be set.
#pragma once

#include <string>

#include <SQLiteCpp/Database.h>

namespace hepek::storage {

// Makes `path` (when `flags` has SQLite::OPEN_CREATE and it does not exist yet) and its companions 0600;
// returns `path`, so it can be used in a member initialiser in front of SQLite::Database's constructor.
const std::string& make_database_private(const std::string& path, int flags);

// SQLite::Database(path, flags) after make_database_private(path, flags).
SQLite::Database open_private_database(const std::string& path, int flags);

}  // namespace hepek::storage
