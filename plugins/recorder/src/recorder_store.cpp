#include "recorder_store.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>

#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <hepek/quote.hpp>
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
  if (available.empty())
    return R::failure(fmt::format("no recorded data for device '{}'", quote_prefix(query.device, 64)));
  if (query.fields.empty()) return R::success(available);
  std::vector<SeriesInfo> chosen;
  for (const auto& field : query.fields) {
    const auto it = std::find_if(available.begin(), available.end(),
                                 [&](const SeriesInfo& info) { return info.field == field; });
    if (it == available.end())
      return R::failure(fmt::format("device '{}' has no recorded field '{}' (recorded: {})", query.device,
                                    quote_prefix(field, 64), join(available)));
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
      return R::failure(fmt::format("unknown time zone '{}'", quote_prefix(query.timezone, 64)));
    }
  }
  auto selected = select_series(query);
  if (!selected) return R::failure(selected.error());
  const auto& infos = selected.value();
  std::size_t first = 0;
  if (query.start) {
    const auto it = std::find_if(infos.begin(), infos.end(),
                                 [&](const SeriesInfo& info) { return info.id == query.start->series_id; });
    if (it == infos.end())
      return R::failure("the cursor belongs to another query: its series is not asked for");
    if (query.start->ts_ms < query.from_ms || query.start->ts_ms >= query.to_ms)
      return R::failure("the cursor belongs to another query: it is outside the time range");
    first = static_cast<std::size_t>(it - infos.begin());
  }
  flush();

  SeriesSet result{query.device, query.resolution, {}, std::nullopt};
  for (const auto& info : infos) {
    const Statistic statistic = query.resolution == Resolution::raw       ? Statistic::automatic
                                : query.statistic != Statistic::automatic ? query.statistic
                                : info.is_counter()                       ? Statistic::last
                                                                          : Statistic::mean;
    result.series.push_back({info.field, info.unit, statistic, {}});
  }
  std::size_t room = query.page_points > 0 ? query.page_points : query.max_points;
  for (std::size_t i = first; i < infos.size() && !result.next; ++i)
    result.next =
        read_series(infos[i], query, i == first ? query.start : std::nullopt, zone, room, result.series[i]);
  if (result.next && query.page_points == 0)
    return R::failure(
        fmt::format("query for device '{}' returns more than {} points; narrow the time range or use a "
                    "coarser resolution",
                    query.device, query.max_points));
  return R::success(std::move(result));
}

std::optional<PagePosition> RecorderStore::read_series(const SeriesInfo& info, const SeriesQuery& query,
                                                       const std::optional<PagePosition>& start,
                                                       const date::time_zone* zone, std::size_t& room,
                                                       Series& series) {
  // Rows of the series from the start (or `from`) to `to`: ?1 series, ?2 from, ?3 to.
  const auto select = [&](const char* sql) {
    SQLite::Statement rows(database_, sql);
    rows.bind(1, info.id);
    rows.bind(2, start ? start->ts_ms : query.from_ms);
    rows.bind(3, query.to_ms);
    return rows;
  };
  if (query.resolution == Resolution::raw) {
    // (ts_ms, rowid) >= the start, written so that SQLite walks the (series_id, ts_ms) index from ?2.
    auto rows = select(
        "SELECT ts_ms, value, rowid FROM samples WHERE series_id = ?1 AND ts_ms >= ?2 AND ts_ms < ?3 AND "
        "(ts_ms > ?2 OR rowid >= ?4) ORDER BY ts_ms, rowid");
    rows.bind(4, start ? start->rowid : std::numeric_limits<int64_t>::min());
    while (rows.executeStep()) {
      const int64_t ts_ms = rows.getColumn(0).getInt64();
      if (room == 0) return PagePosition{info.id, ts_ms, rows.getColumn(2).getInt64()};
      --room;
      series.points.push_back({ts_ms, rows.getColumn(1).getDouble()});
    }
    return std::nullopt;
  }
  auto rows = select(
      "SELECT bucket_ms, min, max, sum, count, last, last_ts_ms FROM aggregates_15m "
      "WHERE series_id = ?1 AND bucket_ms >= ?2 AND bucket_ms < ?3 ORDER BY bucket_ms");
  // Quarters stream into coarse buckets; a page ends only where a coarse bucket does.
  std::optional<Aggregate> bucket;
  const auto emit = [&] {
    if (bucket) series.points.push_back({bucket->bucket_ms, statistic_value(*bucket, series.statistic)});
    bucket.reset();
  };
  while (rows.executeStep()) {
    const Aggregate quarter{rows.getColumn(0).getInt64(),  rows.getColumn(1).getDouble(),
                            rows.getColumn(2).getDouble(), rows.getColumn(3).getDouble(),
                            rows.getColumn(4).getInt64(),  rows.getColumn(5).getDouble(),
                            rows.getColumn(6).getInt64()};
    const int64_t coarse = coarse_bucket_start(quarter.bucket_ms, query.resolution, zone);
    if (!bucket || bucket->bucket_ms != coarse) {
      emit();
      if (room == 0) return PagePosition{info.id, quarter.bucket_ms, 0};
      --room;
      bucket = Aggregate{};
      bucket->bucket_ms = coarse;
    }
    bucket->merge(quarter);
  }
  emit();
  return std::nullopt;
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
