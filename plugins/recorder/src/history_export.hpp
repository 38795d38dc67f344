// `hepek history export`: a recorder query from the command line, written as CSV.
//
//   hepek history export --device D --from T --to T [--fields a,b] [--resolution raw|15m|1h|1d]
//                        [--stat auto|mean|min|max|last|count] [--timezone TZ] [--output FILE]
//                        [--instance ID] [--simulation] [--database FILE]
//
// The database is <data_dir>/plugins/<instance>/<database name> (instance: --instance, else the configured
// recorder's id, else "recorder"; name from the recorder's config or "recorder.db") unless --database names a
// file. Times are ISO 8601 or plain dates (midnight UTC). Returns the exit code: 0 written, 1 bad arguments
// or query (message on `errors`, naming the input).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace hepek::recorder {

inline constexpr const char* kDefaultInstance = "recorder";
inline constexpr const char* kDefaultDatabaseName = "recorder.db";

struct ExportEnvironment {
  std::string data_dir;       // the hub's data directory
  std::string database_name;  // from the recorder's config; empty = kDefaultDatabaseName
  std::string instance;  // the recorder's instance id when the config names one; empty = kDefaultInstance
};

int run_history_export(const ExportEnvironment& environment, const std::vector<std::string>& args,
                       std::ostream& out, std::ostream& errors);

// <data_dir>/plugins/<instance>/<name>, or `name` itself when it is absolute.
std::string recorder_database_path(const std::string& data_dir, const std::string& instance,
                                   const std::string& name);

}  // namespace hepek::recorder
