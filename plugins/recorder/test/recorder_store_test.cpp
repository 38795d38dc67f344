#include "recorder_store.hpp"

#include <algorithm>
#include <map>
#include <random>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <hepek/timeseries/iso8601.hpp>
#include "aggregate.hpp"
#include "test_support.hpp"

namespace hepek::recorder {
namespace {

using testing::TempDir;

constexpr int64_t kStart = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
constexpr int64_t kMinute = 60'000;

DeviceMetadata meter() {
  auto parsed =
      parse_device_metadata("meter", R"({"schema":1,"device":"meter","name":"Grid meter","entities":[
      {"field":"power","unit":"W","device_class":"power","state_class":"measurement"},
      {"field":"energy","unit":"Wh","device_class":"energy","state_class":"total_increasing"},
      {"field":"tariff","recorded":false}]})");
  return std::move(parsed).value();
}

int64_t count_rows(const std::string& path, const char* table) {
  SQLite::Database reader(path, SQLite::OPEN_READONLY);
  return reader.execAndGet(std::string("SELECT count(*) FROM ") + table).getInt64();
}

SeriesQuery query_for(std::vector<std::string> fields, int64_t from, int64_t to, Resolution resolution,
                      Statistic statistic = Statistic::automatic) {
  SeriesQuery query;
  query.device = "meter";
  query.fields = std::move(fields);
  query.from_ms = from;
  query.to_ms = to;
  query.resolution = resolution;
  query.statistic = statistic;
  return query;
}

TEST(RecorderStore, OpensInWalModeAtTheCurrentSchema) {
  TempDir dir;
  RecorderStore store(dir.file("r.db"));
  EXPECT_EQ(store.database().execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(store.database().execAndGet("PRAGMA synchronous").getInt(), 1);  // NORMAL
  EXPECT_EQ(store.database().execAndGet("PRAGMA user_version").getInt(), 2);
}

TEST(RecorderStore, BuffersUntilABatchIsFull) {
  TempDir dir;
  const std::string path = dir.file("r.db");
  RecorderStore store(path, {.batch_size = 3});
  store.upsert_device(meter(), kStart);
  EXPECT_FALSE(store.add({"meter", "power", kStart, 1}));
  EXPECT_FALSE(store.add({"meter", "power", kStart + 1000, 2}));
  EXPECT_EQ(store.pending(), 2u);
  EXPECT_EQ(count_rows(path, "samples"), 0);  // another connection sees nothing yet
  EXPECT_TRUE(store.add({"meter", "power", kStart + 2000, 3}));
  EXPECT_EQ(store.pending(), 0u);
  EXPECT_EQ(count_rows(path, "samples"), 3);
  EXPECT_EQ(store.flush(), 0u);
  store.add({"meter", "energy", kStart, 10});
  EXPECT_EQ(store.flush(), 1u);
  EXPECT_EQ(count_rows(path, "samples"), 4);
}

TEST(RecorderStore, WritesEachBatchInOneTransaction) {
  TempDir dir;
  RecorderStore store(dir.file("r.db"), {.batch_size = 50});
  store.upsert_device(meter(), kStart);
  int commits = 0;
  sqlite3_commit_hook(
      store.database().getHandle(),
      [](void* counter) {
        ++*static_cast<int*>(counter);
        return 0;
      },
      &commits);
  for (int i = 0; i < 120; ++i) store.add({"meter", "power", kStart + i * 1000, double(i)});
  EXPECT_EQ(commits, 2);  // two full batches of 50
  store.flush();
  EXPECT_EQ(commits, 3);  // the remaining 20
  sqlite3_commit_hook(store.database().getHandle(), nullptr, nullptr);
}

// Random samples over four hours, written out of order in odd-sized batches: every 15-minute aggregate must
// equal what a direct computation over the samples gives.
TEST(RecorderStore, AggregatesAreExactAcrossBucketBoundariesAndBatches) {
  TempDir dir;
  RecorderStore store(dir.file("r.db"), {.batch_size = 37});
  store.upsert_device(meter(), kStart);
  std::mt19937_64 random(20240101);
  std::uniform_int_distribution<int64_t> when(0, 4 * 60 * kMinute - 1);
  std::uniform_real_distribution<double> value(-3000.0, 5000.0);
  std::vector<Sample> samples;
  for (int i = 0; i < 2000; ++i) samples.push_back({"meter", "power", kStart + when(random), value(random)});
  // Exact bucket edges too.
  for (int64_t edge : {int64_t{0}, 15 * kMinute - 1, 15 * kMinute, 60 * kMinute, 4 * 60 * kMinute - 1})
    samples.push_back({"meter", "power", kStart + edge, 42.0});
  for (const auto& sample : samples) store.add(sample);

  struct Expected {
    double min = 1e300, max = -1e300, sum = 0;
    int64_t count = 0, last_ts = -1;
    double last = 0;
  };
  std::map<int64_t, Expected> expected;
  for (const auto& sample : samples) {
    auto& bucket = expected[bucket_start(sample.ts_ms)];
    bucket.min = std::min(bucket.min, sample.value);
    bucket.max = std::max(bucket.max, sample.value);
    bucket.sum += sample.value;
    ++bucket.count;
    if (sample.ts_ms >= bucket.last_ts) {  // ties: the later write wins
      bucket.last_ts = sample.ts_ms;
      bucket.last = sample.value;
    }
  }
  ASSERT_EQ(expected.size(), 16u);

  const int64_t to = kStart + 4 * 60 * kMinute;
  for (Statistic statistic :
       {Statistic::min, Statistic::max, Statistic::mean, Statistic::count, Statistic::last}) {
    const auto result = store.query(query_for({"power"}, kStart, to, Resolution::quarter_hour, statistic));
    ASSERT_TRUE(result) << result.error();
    const auto& points = result->series.at(0).points;
    ASSERT_EQ(points.size(), expected.size());
    auto it = expected.begin();
    for (const auto& point : points) {
      const auto& [bucket, truth] = *it++;
      EXPECT_EQ(point.ts_ms, bucket);
      const double want = statistic == Statistic::min     ? truth.min
                          : statistic == Statistic::max   ? truth.max
                          : statistic == Statistic::count ? double(truth.count)
                          : statistic == Statistic::last  ? truth.last
                                                          : truth.sum / double(truth.count);
      EXPECT_NEAR(point.value, want, 1e-9 * std::max(1.0, std::abs(want)))
          << statistic_name(statistic) << " at " << hepek::timeseries::format_iso8601_ms(bucket);
    }
  }
}

TEST(RecorderStore, LastIsTheNewestSampleEvenWhenItArrivesFirst) {
  TempDir dir;
  RecorderStore store(dir.file("r.db"), {.batch_size = 1});
  store.upsert_device(meter(), kStart);
  store.add({"meter", "energy", kStart + 10 * kMinute, 110});  // newest, written first
  store.add({"meter", "energy", kStart + 1 * kMinute, 101});   // late arrival, older
  const auto result =
      store.query(query_for({"energy"}, kStart, kStart + 15 * kMinute, Resolution::quarter_hour));
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result->series.at(0).statistic, Statistic::last);  // a counter: auto is "last"
  EXPECT_EQ(result->series.at(0).points, (std::vector<SeriesPoint>{{kStart, 110}}));
}

TEST(RecorderStore, PruningDropsOldRawSamplesButKeepsAggregates) {
  TempDir dir;
  RecorderStore store(dir.file("r.db"), {.batch_size = 100, .keep_raw_ms = kDayMs});
  store.upsert_device(meter(), kStart);
  for (int i = 0; i < 8; ++i) {
    store.add({"meter", "power", kStart + i * 5 * kMinute, double(i)});                    // day 0
    store.add({"meter", "power", kStart + 2 * kDayMs + i * 5 * kMinute, double(10 + i)});  // day 2
  }
  store.flush();
  EXPECT_EQ(store.prune_raw(kStart + 2 * kDayMs + 12 * 3'600'000), 8u);
  EXPECT_EQ(store.prune_raw(kStart + 2 * kDayMs + 12 * 3'600'000), 0u);

  const auto raw = store.query(query_for({"power"}, kStart, kStart + 3 * kDayMs, Resolution::raw));
  ASSERT_TRUE(raw) << raw.error();
  ASSERT_EQ(raw->series.at(0).points.size(), 8u);
  EXPECT_EQ(raw->series.at(0).points.front().ts_ms, kStart + 2 * kDayMs);

  const auto quarters = store.query(
      query_for({"power"}, kStart, kStart + 3 * kDayMs, Resolution::quarter_hour, Statistic::mean));
  ASSERT_TRUE(quarters) << quarters.error();
  const std::vector<SeriesPoint> expected{{kStart, 1},                                  // 0,1,2
                                          {kStart + 15 * kMinute, 4},                   // 3,4,5
                                          {kStart + 30 * kMinute, 6.5},                 // 6,7
                                          {kStart + 2 * kDayMs, 11},                    // 10,11,12
                                          {kStart + 2 * kDayMs + 15 * kMinute, 14},     // 13,14,15
                                          {kStart + 2 * kDayMs + 30 * kMinute, 16.5}};  // 16,17
  EXPECT_EQ(quarters->series.at(0).points, expected);
}

TEST(RecorderStore, RollsQuarterHoursIntoHoursAndLocalDays) {
  TempDir dir;
  RecorderStore store(dir.file("r.db"), {.batch_size = 1000});
  store.upsert_device(meter(), kStart);
  // 2024-03-30T00:00Z .. 2024-04-01T00:00Z, one power sample (value 1) per quarter hour; Europe/Amsterdam
  // switches to summer time on 2024-03-31, a 23-hour day.
  const int64_t from = 1'711'756'800'000;  // 2024-03-30T00:00:00Z
  const int64_t to = from + 2 * kDayMs;
  for (int64_t t = from; t < to; t += 15 * kMinute) {
    store.add({"meter", "power", t, 1.0});
    store.add({"meter", "energy", t, double((t - from) / (15 * kMinute))});
  }
  SeriesQuery hours = query_for({"power", "energy"}, from, from + 2 * 3'600'000, Resolution::hour);
  const auto hourly = store.query(hours);
  ASSERT_TRUE(hourly) << hourly.error();
  EXPECT_EQ(hourly->series.at(0).points, (std::vector<SeriesPoint>{{from, 1}, {from + 3'600'000, 1}}));
  EXPECT_EQ(hourly->series.at(1).points, (std::vector<SeriesPoint>{{from, 3}, {from + 3'600'000, 7}}));

  SeriesQuery days = query_for({"power"}, from, to, Resolution::day, Statistic::count);
  days.timezone = "Europe/Amsterdam";
  const auto daily = store.query(days);
  ASSERT_TRUE(daily) << daily.error();
  const auto& points = daily->series.at(0).points;
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(hepek::timeseries::format_iso8601_ms(points[0].ts_ms),
            "2024-03-29T23:00:00Z");   // local midnight, winter time
  EXPECT_EQ(points[0].value, 23 * 4);  // 00:00Z..23:00Z on the 30th
  EXPECT_EQ(hepek::timeseries::format_iso8601_ms(points[1].ts_ms), "2024-03-30T23:00:00Z");
  EXPECT_EQ(points[1].value, 23 * 4);                                                        // the short day
  EXPECT_EQ(hepek::timeseries::format_iso8601_ms(points[2].ts_ms), "2024-03-31T22:00:00Z");  // summer time
  EXPECT_EQ(points[2].value, 2 * 4);

  days.timezone = "UTC";
  const auto utc = store.query(days);
  ASSERT_TRUE(utc);
  EXPECT_EQ(utc->series.at(0).points, (std::vector<SeriesPoint>{{from, 96}, {from + kDayMs, 96}}));
}

TEST(RecorderStore, QueryIncludesSamplesNotYetFlushed) {
  TempDir dir;
  RecorderStore store(dir.file("r.db"), {.batch_size = 1000});
  store.upsert_device(meter(), kStart);
  store.add({"meter", "power", kStart, 5});
  const auto result = store.query(query_for({}, kStart, kStart + 1000, Resolution::raw));
  ASSERT_TRUE(result) << result.error();
  ASSERT_EQ(result->series.size(), 2u);  // all recorded fields of the device, in announcement order
  EXPECT_EQ(result->series[0].field, "power");
  EXPECT_EQ(result->series[0].unit, "W");
  EXPECT_EQ(result->series[0].points, (std::vector<SeriesPoint>{{kStart, 5}}));
  EXPECT_TRUE(result->series[1].points.empty());
}

TEST(RecorderStore, BadQueriesNameTheInput) {
  TempDir dir;
  RecorderStore store(dir.file("r.db"));
  store.upsert_device(meter(), kStart);
  auto error_of = [&](SeriesQuery query) {
    const auto result = store.query(query);
    EXPECT_FALSE(result);
    return result ? std::string() : result.error();
  };
  auto query = query_for({"power"}, kStart, kStart + kDayMs, Resolution::raw);
  query.device = "nope";
  EXPECT_EQ(error_of(query), "no recorded data for device 'nope'");
  EXPECT_EQ(error_of(query_for({"power", "voltage"}, kStart, kStart + kDayMs, Resolution::raw)),
            "device 'meter' has no recorded field 'voltage' (recorded: power, energy)");
  EXPECT_NE(error_of(query_for({"power"}, kStart, kStart, Resolution::raw)).find("empty time range"),
            std::string::npos);
  query = query_for({"power"}, kStart, kStart + kDayMs, Resolution::day);
  query.timezone = "Mars/Olympus";
  EXPECT_EQ(error_of(query), "unknown time zone 'Mars/Olympus'");
  for (int i = 0; i < 5; ++i) store.add({"meter", "power", kStart + i, 1});
  query = query_for({"power"}, kStart, kStart + kDayMs, Resolution::raw);
  query.max_points = 4;
  EXPECT_NE(error_of(query).find("more than 4 points"), std::string::npos);
}

TEST(RecorderStore, FailedFlushKeepsTheBatchForTheNextTry) {
  TempDir dir;
  const std::string path = dir.file("r.db");
  RecorderStore store(path, {.batch_size = 1000, .busy_timeout_ms = 20});
  store.upsert_device(meter(), kStart);
  for (int i = 0; i < 10; ++i) store.add({"meter", "power", kStart + i * 1000, double(i)});
  {
    SQLite::Database other(path, SQLite::OPEN_READWRITE);
    other.exec("BEGIN IMMEDIATE");  // holds the write lock
    EXPECT_THROW(store.flush(), SQLite::Exception);
    EXPECT_EQ(store.pending(), 10u);
    other.exec("ROLLBACK");
  }
  EXPECT_EQ(store.flush(), 10u);
  EXPECT_EQ(count_rows(path, "samples"), 10);
  EXPECT_EQ(count_rows(path, "aggregates_15m"), 1);
}

TEST(RecorderStore, SurvivesReopenWithDevicesAndData) {
  TempDir dir;
  const std::string path = dir.file("r.db");
  {
    RecorderStore store(path);
    store.upsert_device(meter(), kStart);
    store.add({"meter", "power", kStart, 7});
  }  // destructor flushes
  RecorderStore store(path);
  const auto devices = store.load_devices();
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].name, "meter");
  EXPECT_EQ(devices[0].fields.size(), 3u);
  EXPECT_TRUE(store.already_recorded("meter", kStart));
  EXPECT_FALSE(store.already_recorded("meter", kStart + 1));
  EXPECT_FALSE(store.already_recorded("other", kStart));
  store.add({"meter", "power", kStart + 1, 8});
  EXPECT_TRUE(store.already_recorded("meter", kStart + 1));  // pending counts too
}

TEST(RecorderStore, OpenExistingRefusesAMissingFile) {
  TempDir dir;
  const auto missing = open_existing_store(dir.file("none.db"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("none.db"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.file("none.db")));
}

}  // namespace
}  // namespace hepek::recorder
