#include "recorder_store.hpp"

#include <filesystem>
#include <map>

#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <hepek/storage/private_database.hpp>

#include "aggregate.hpp"
#include "rollup.hpp"
#include "schema.hpp"

namespace hepek::recorder {
namespace {

int open_flags(const StoreOptions& options) {
  return SQLite::OPEN_READWRITE | (options.create_if_missing ? SQLite::OPEN_CREATE : 0);
}

constexpr const char* kUpsertAggregate = R"sql(
INSERT INTO aggregates_15m (series_id, bucket_ms, min, max, sum, count, last, last_ts_ms)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (series_id, bucket_ms) DO UPDATE SET
  min = min(min, excluded.min),
  max = max(max, excluded.max),
  sum = sum + excluded.sum,
  count = count + excluded.count,
  last = CASE WHEN excluded.last_ts_ms >= last_ts_ms THEN excluded.last ELSE last END,
  last_ts_ms = max(last_ts_ms, excluded.last_ts_ms)
)sql";

std::string join(const std::vector<SeriesInfo>& series) {
  std::string names;
  for (const auto& info : series) names += (names.empty() ? "" : ", ") + info.field;
  return names;
}

SeriesInfo series_from_row(SQLite::Statement& row) {
  return {row.getColumn(0).getInt64(),  row.getColumn(1).getString(), row.getColumn(2).getString(),
          row.getColumn(3).getString(), row.getColumn(4).getString(), row.getColumn(5).getString()};
}

}  // namespace

RecorderStore::RecorderStore(const std::string& path, StoreOptions options)
    : path_(path),
      options_(options),
      database_(hepek::storage::open_private_database(path, open_flags(options))) {
  if (options_.batch_size == 0) options_.batch_size = 1;
  database_.setBusyTimeout(options_.busy_timeout_ms);
  database_.exec("PRAGMA journal_mode = WAL");
  // NORMAL in WAL mode syncs at checkpoints only: a crash loses at most the last batches, never consistency.
  database_.exec("PRAGMA synchronous = NORMAL");
  migrate(database_);
  insert_sample_ = std::make_unique<SQLite::Statement>(
      database_, "INSERT INTO samples (series_id, ts_ms, value) VALUES (?, ?, ?)");
  upsert_aggregate_ = std::make_unique<SQLite::Statement>(database_, kUpsertAggregate);
}

RecorderStore::~RecorderStore() {
  try {
    flush();
  } catch (...) {
  }
}

std::size_t RecorderStore::upsert_device(const DeviceMetadata& device, int64_t now_ms) {
  SQLite::Transaction transaction(database_, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement device_row(database_, R"sql(
    INSERT INTO devices (name, title, metadata, updated_ms) VALUES (?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET title = excluded.title, metadata = excluded.metadata,
                                     updated_ms = excluded.updated_ms)sql");
  device_row.bind(1, device.name);
  device_row.bind(2, device.title);
  device_row.bind(3, device.raw.dump());
  device_row.bind(4, now_ms);
  device_row.exec();
  SQLite::Statement series_row(database_, R"sql(
    INSERT INTO series (device, field, unit, device_class, state_class) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (device, field) DO UPDATE SET unit = excluded.unit, device_class = excluded.device_class,
                                              state_class = excluded.state_class)sql");
  std::size_t recorded = 0;
  for (const auto& field : device.fields) {
    if (!field.recorded) continue;
    series_row.bind(1, device.name);
    series_row.bind(2, field.field);
    series_row.bind(3, field.unit);
    series_row.bind(4, field.device_class);
    series_row.bind(5, field.state_class);
    series_row.exec();
    series_row.reset();
    ++recorded;
  }
  transaction.commit();
  return recorded;
}

std::vector<DeviceMetadata> RecorderStore::load_devices() {
  std::vector<DeviceMetadata> devices;
  SQLite::Statement rows(database_, "SELECT name, metadata FROM devices ORDER BY name");
  while (rows.executeStep()) {
    auto parsed = parse_device_metadata(rows.getColumn(0).getString(), rows.getColumn(1).getString());
    if (parsed) devices.push_back(std::move(parsed).value());
  }
  return devices;
}

std::vector<SeriesInfo> RecorderStore::series_of(const std::string& device) {
  std::vector<SeriesInfo> series;
  SQLite::Statement rows(
      database_,
      "SELECT id, device, field, unit, device_class, state_class FROM series WHERE device = ? "
      "ORDER BY id");
  rows.bind(1, device);
  while (rows.executeStep()) series.push_back(series_from_row(rows));
  return series;
}

int64_t RecorderStore::series_id(const std::string& device, const std::string& field) {
  const auto key = std::make_pair(device, field);
  if (const auto it = series_ids_.find(key); it != series_ids_.end()) return it->second;
  // A sample for a field never announced (add() without upsert_device) still gets a series, without a unit.
  SQLite::Statement create(database_,
                           "INSERT INTO series (device, field) VALUES (?, ?) ON CONFLICT DO NOTHING");
  create.bind(1, device);
  create.bind(2, field);
  create.exec();
  SQLite::Statement select(database_, "SELECT id FROM series WHERE device = ? AND field = ?");
  select.bind(1, device);
  select.bind(2, field);
  if (!select.executeStep()) throw std::logic_error("series row vanished for " + device + "/" + field);
  const int64_t id = select.getColumn(0).getInt64();
  series_ids_.emplace(key, id);
  return id;
}

bool RecorderStore::add(Sample sample) {
  pending_.push_back(std::move(sample));
  if (pending_.size() < options_.batch_size) return false;
  flush();
  return true;
}

std::size_t RecorderStore::flush() {
  if (pending_.empty()) return 0;
  try {
    SQLite::Transaction transaction(database_, SQLite::TransactionBehavior::IMMEDIATE);
    std::map<std::pair<int64_t, int64_t>, Aggregate> buckets;  // (series, bucket start) -> this batch's part
    for (const auto& sample : pending_) {
      const int64_t id = series_id(sample.device, sample.field);
      insert_sample_->bind(1, id);
      insert_sample_->bind(2, sample.ts_ms);
      insert_sample_->bind(3, sample.value);
      insert_sample_->exec();
      insert_sample_->reset();
      const int64_t bucket = bucket_start(sample.ts_ms);
      auto [it, created] = buckets.try_emplace({id, bucket});
      if (created) it->second.bucket_ms = bucket;
      it->second.merge(Aggregate::of(bucket, sample.ts_ms, sample.value));
    }
    for (const auto& [key, part] : buckets) {
      auto& upsert = *upsert_aggregate_;
      upsert.bind(1, key.first);
      upsert.bind(2, key.second);
      upsert.bind(3, part.min);
      upsert.bind(4, part.max);
      upsert.bind(5, part.sum);
      upsert.bind(6, part.count);
      upsert.bind(7, part.last);
      upsert.bind(8, part.last_ts_ms);
      upsert.exec();
      upsert.reset();
    }
    transaction.commit();
  } catch (...) {
    // Rolled back: series created in this transaction are gone too, so forget cached ids. pending_ is kept.
    series_ids_.clear();
    insert_sample_->reset();
    upsert_aggregate_->reset();
    throw;
  }
  const std::size_t written = pending_.size();
  pending_.clear();
  return written;
}

std::size_t RecorderStore::prune_raw(int64_t now_ms) {
  const int64_t cutoff = now_ms - options_.keep_raw_ms;
  SQLite::Transaction transaction(database_, SQLite::TransactionBehavior::IMMEDIATE);
  // Per series, so every delete walks the (series_id, ts_ms) index instead of scanning the table.
  SQLite::Statement ids(database_, "SELECT id FROM series");
  SQLite::Statement erase(database_, "DELETE FROM samples WHERE series_id = ? AND ts_ms < ?");
  std::size_t deleted = 0;
  while (ids.executeStep()) {
    erase.bind(1, ids.getColumn(0).getInt64());
    erase.bind(2, cutoff);
    deleted += static_cast<std::size_t>(erase.exec());
    erase.reset();
  }
  transaction.commit();
  return deleted;
}

bool RecorderStore::already_recorded(const std::string& device, int64_t ts_ms) {
  for (const auto& sample : pending_)
    if (sample.ts_ms == ts_ms && sample.device == device) return true;
  SQLite::Statement probe(database_,
                          "SELECT 1 FROM series JOIN samples ON samples.series_id = series.id "
                          "WHERE series.device = ? AND samples.ts_ms = ? LIMIT 1");
  probe.bind(1, device);
  probe.bind(2, ts_ms);
  return probe.executeStep();
}

Result<std::vector<SeriesInfo>> RecorderStore::select_series(const SeriesQuery& query) {
  using R = Result<std::vector<SeriesInfo>>;
  const auto available = series_of(query.device);
  if (available.empty()) return R::failure(fmt::format("no recorded data for device '{}'", query.device));
  if (query.fields.empty()) return R::success(available);
  std::vector<SeriesInfo> chosen;
  for (const auto& field : query.fields) {
    const auto it = std::find_if(available.begin(), available.end(),
                                 [&](const SeriesInfo& info) { return info.field == field; });
    if (it == available.end())
      return R::failure(fmt::format("device '{}' has no recorded field '{}' (recorded: {})", query.device,
                                    field, join(available)));
    chosen.push_back(*it);
  }
  return R::success(std::move(chosen));
}

Result<SeriesSet> RecorderStore::query(const SeriesQuery& query) {
  using R = Result<SeriesSet>;
  if (query.from_ms >= query.to_ms)
    return R::failure(fmt::format("empty time range: \"from\" ({}) must be before \"to\" ({})", query.from_ms,
                                  query.to_ms));
  const date::time_zone* zone = nullptr;
  if (query.resolution == Resolution::day) {
    try {
      zone = date::locate_zone(query.timezone);
    } catch (const std::exception&) {
      return R::failure(fmt::format("unknown time zone '{}'", query.timezone));
    }
  }
  auto selected = select_series(query);
  if (!selected) return R::failure(selected.error());
  flush();

  SeriesSet result{query.device, query.resolution, {}};
  std::size_t total_points = 0;
  auto too_many = [&] {
    return R::failure(
        fmt::format("query for device '{}' returns more than {} points; narrow the time range or use a "
                    "coarser resolution",
                    query.device, query.max_points));
  };
  for (const auto& info : selected.value()) {
    Series series{info.field, info.unit, Statistic::automatic, {}};
    if (query.resolution == Resolution::raw) {
      SQLite::Statement rows(
          database_,
          "SELECT ts_ms, value FROM samples WHERE series_id = ? AND ts_ms >= ? AND ts_ms < ? "
          "ORDER BY ts_ms, rowid");
      rows.bind(1, info.id);
      rows.bind(2, query.from_ms);
      rows.bind(3, query.to_ms);
      while (rows.executeStep()) {
        if (++total_points > query.max_points) return too_many();
        series.points.push_back({rows.getColumn(0).getInt64(), rows.getColumn(1).getDouble()});
      }
    } else {
      SQLite::Statement rows(database_,
                             "SELECT bucket_ms, min, max, sum, count, last, last_ts_ms FROM aggregates_15m "
                             "WHERE series_id = ? AND bucket_ms >= ? AND bucket_ms < ? ORDER BY bucket_ms");
      rows.bind(1, info.id);
      rows.bind(2, query.from_ms);
      rows.bind(3, query.to_ms);
      std::vector<Aggregate> quarters;
      while (rows.executeStep()) {
        quarters.push_back({rows.getColumn(0).getInt64(), rows.getColumn(1).getDouble(),
                            rows.getColumn(2).getDouble(), rows.getColumn(3).getDouble(),
                            rows.getColumn(4).getInt64(), rows.getColumn(5).getDouble(),
                            rows.getColumn(6).getInt64()});
      }
      series.statistic = query.statistic != Statistic::automatic ? query.statistic
                         : info.is_counter()                     ? Statistic::last
                                                                 : Statistic::mean;
      for (const auto& bucket : rollup(quarters, query.resolution, zone)) {
        if (++total_points > query.max_points) return too_many();
        series.points.push_back({bucket.bucket_ms, statistic_value(bucket, series.statistic)});
      }
    }
    result.series.push_back(std::move(series));
  }
  return R::success(std::move(result));
}

Result<std::unique_ptr<RecorderStore>> open_existing_store(const std::string& path) {
  using R = Result<std::unique_ptr<RecorderStore>>;
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    return R::failure(
        fmt::format("no recorder database at {} (has the recorder run with this data directory?)", path));
  StoreOptions options;
  options.create_if_missing = false;
  try {
    return R::success(std::make_unique<RecorderStore>(path, options));
  } catch (const std::exception& e) {
    return R::failure(fmt::format("cannot open recorder database {}: {}", path, e.what()));
  }
}

}  // namespace hepek::recorder
