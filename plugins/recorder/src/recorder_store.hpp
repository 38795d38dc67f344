// The recorder's SQLite database: device metadata, raw samples kept for a retention period, 15-minute
// aggregates kept for ever, and queries over both.
//
// Contract:
//  - Opening creates (unless told not to) and migrates the file (see schema.hpp), in WAL mode with
//    synchronous=NORMAL: a power cut may lose the last committed batches, never corrupt the file.
//  - add() only buffers; the buffer is written by flush() in one transaction (raw rows plus one upsert per
//  touched
//    15-minute bucket), and add() flushes by itself when `batch_size` samples are pending. A failed flush
//    rolls back and keeps the buffer, so the next flush retries it: samples are not lost to a transient
//    error.
//  - prune_raw() deletes raw samples older than the retention; aggregates are never pruned.
//  - query() flushes first, so it sees everything added so far. Bad queries (unknown device or field, empty
//    range, too many points without paging, a start position outside the query) are errors naming the input; I/O
//    errors throw SQLite::Exception. A paged query (series_query.hpp) reads only what its page holds.
// Not thread-safe: one owner (the plugin's event thread, or a CLI command). Other processes may read
// concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "device_metadata.hpp"
#include "hepek/result.hpp"
#include "series_query.hpp"
#include "state_samples.hpp"

namespace date {
class time_zone;
}

namespace hepek::recorder {

inline constexpr int64_t kDayMs = 86'400'000;

struct StoreOptions {
  std::size_t batch_size = 500;
  int64_t keep_raw_ms = 10 * kDayMs;
  bool create_if_missing = true;
  int busy_timeout_ms = 5000;  // how long a write waits for another connection's lock before failing
};

struct SeriesInfo {
  int64_t id = 0;
  std::string device;
  std::string field;
  std::string unit;
  std::string device_class;
  std::string state_class;
  bool is_counter() const { return state_class == "total" || state_class == "total_increasing"; }
};

class RecorderStore {
 public:
  // Throws SQLite::Exception when the file cannot be opened, std::runtime_error when its schema is too new.
  explicit RecorderStore(const std::string& path, StoreOptions options = {});
  ~RecorderStore();  // flushes what is pending; errors there are swallowed (call flush() to see them)
  RecorderStore(const RecorderStore&) = delete;
  RecorderStore& operator=(const RecorderStore&) = delete;

  // Stores the announcement and creates/updates a series for every recorded field. Returns the series count.
  std::size_t upsert_device(const DeviceMetadata& device, int64_t now_ms);
  // Every device announced so far, as last announced (to rebuild the catalog after a restart).
  std::vector<DeviceMetadata> load_devices();
  std::vector<SeriesInfo> series_of(const std::string& device);

  // Returns true when this call flushed a full batch.
  bool add(Sample sample);
  std::size_t flush();  // returns the number of samples written
  std::size_t pending() const { return pending_.size(); }
  std::size_t prune_raw(int64_t now_ms);  // returns the number of raw samples deleted
  // True when a sample of `device` at exactly `ts_ms` is stored or pending (skips re-recording a retained
  // state).
  bool already_recorded(const std::string& device, int64_t ts_ms);

  Result<SeriesSet> query(const SeriesQuery& query);

  const StoreOptions& options() const { return options_; }
  const std::string& path() const { return path_; }
  SQLite::Database& database() { return database_; }

 private:
  int64_t series_id(const std::string& device, const std::string& field);
  Result<std::vector<SeriesInfo>> select_series(const SeriesQuery& query);
  // Appends the points of one series from `start` (else the query's `from`) to `series` while `room` lasts,
  // counting it down; returns the position of the first point that did not fit, nullopt when the series is done.
  std::optional<PagePosition> read_series(const SeriesInfo& info, const SeriesQuery& query,
                                          const std::optional<PagePosition>& start,
                                          const date::time_zone* zone, std::size_t& room, Series& series);

  std::string path_;
  StoreOptions options_;
  SQLite::Database database_;
  std::unique_ptr<SQLite::Statement> insert_sample_;
  std::unique_ptr<SQLite::Statement> upsert_aggregate_;
  std::map<std::pair<std::string, std::string>, int64_t> series_ids_;
  std::vector<Sample> pending_;
};

// Opens `path` if it exists (no creation); the error names the file.
Result<std::unique_ptr<RecorderStore>> open_existing_store(const std::string& path);

}  // namespace hepek::recorder
