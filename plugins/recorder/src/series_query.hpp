// A query for recorded series and its answer, independent of how it arrives (bus request, CLI, tests).
//
// Resolutions: raw (every stored sample; only within the raw retention), 15m (the stored aggregates), 1h and
// 1d (15-minute aggregates combined; 1h buckets are UTC hours, 1d buckets are days in the query's time zone).
// Ranges are half-open [from, to): a raw sample by its time, an aggregate bucket by its start. Each point of
// an aggregated series is [bucket start, statistic]; the statistic "auto" is the last value for counters
// (state_class total or total_increasing: the counter reading at the end of the bucket) and the mean for
// everything else.
//
// Paging: a query with page_points > 0 returns at most that many points (across its series) and, when more remain,
// `next`: the position of the first point not returned; the same query with `start` = that position returns the
// following page. Points come series by series (in the order asked for), each in time order (raw samples by time,
// then by insertion), so following the pages yields every point exactly once. Without page_points the whole answer
// comes at once and more than max_points is an error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hepek::recorder {

enum class Resolution { raw, quarter_hour, hour, day };
enum class Statistic { automatic, mean, min, max, last, count };

std::string_view resolution_name(Resolution resolution);  // "raw", "15m", "1h", "1d"
std::optional<Resolution> parse_resolution(std::string_view name);
std::string_view statistic_name(Statistic statistic);  // "auto", "mean", "min", "max", "last", "count"
std::optional<Statistic> parse_statistic(std::string_view name);

// Where a page starts: the first point not yet returned, in the series `series_id` (the recorder's own id of a
// device field). Raw samples are ordered by (ts_ms, rowid); an aggregated series resumes at the 15-minute bucket
// `ts_ms` (rowid 0), the first one of a coarser bucket not yet returned.
struct PagePosition {
  int64_t series_id = 0;
  int64_t ts_ms = 0;
  int64_t rowid = 0;
  bool operator==(const PagePosition&) const = default;
};

struct SeriesQuery {
  std::string device;
  std::vector<std::string> fields;  // empty: every recorded field of the device
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  Resolution resolution = Resolution::raw;
  Statistic statistic = Statistic::automatic;
  std::string timezone = "UTC";  // for 1d buckets
  std::size_t max_points =
      100'000;  // without paging, across all series; more is an error asking for a coarser query
  std::size_t page_points = 0;  // > 0: return a page of at most this many points (max_points does not apply)
  std::optional<PagePosition> start;  // the page starts here (a previous page's `next`); else at `from`
};

struct SeriesPoint {
  int64_t ts_ms = 0;
  double value = 0;
  bool operator==(const SeriesPoint&) const = default;
};

struct Series {
  std::string field;
  std::string unit;
  Statistic statistic = Statistic::automatic;  // what the values are (resolved from "auto"); raw: automatic
  std::vector<SeriesPoint> points;
};

struct SeriesSet {
  std::string device;
  Resolution resolution = Resolution::raw;
  std::vector<Series> series;  // in the order asked for (or the device's order); every one, also when empty
  std::optional<PagePosition> next;  // a page with more to come: where the next page starts
};

}  // namespace hepek::recorder
