// A summary of the samples of one series in one time bucket, and how buckets combine.
//
// Contract: merging is exact for min, max, sum and count (so mean = sum / count over any union of buckets)
// and "last" is the value with the newest timestamp (ties: the one merged later wins, i.e. the later write).
// Header-only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>

namespace hepek::recorder {

inline constexpr int64_t kBucketMs = 15 * 60 * 1000;

// Start of the 15-minute bucket holding `ts_ms` (aligned to the Unix epoch, also for times before it).
inline int64_t bucket_start(int64_t ts_ms) {
  const int64_t remainder = ts_ms % kBucketMs;
  return ts_ms - (remainder < 0 ? remainder + kBucketMs : remainder);
}

struct Aggregate {
  int64_t bucket_ms = 0;
  double min = 0;
  double max = 0;
  double sum = 0;
  int64_t count = 0;
  double last = 0;
  int64_t last_ts_ms = 0;

  static Aggregate of(int64_t bucket, int64_t ts_ms, double value) {
    return {bucket, value, value, value, 1, value, ts_ms};
  }
  void merge(const Aggregate& other) {
    if (other.count == 0) return;
    if (count == 0) {
      const int64_t keep_bucket = bucket_ms;
      *this = other;
      bucket_ms = keep_bucket;
      return;
    }
    min = std::min(min, other.min);
    max = std::max(max, other.max);
    sum += other.sum;
    count += other.count;
    if (other.last_ts_ms >= last_ts_ms) {
      last = other.last;
      last_ts_ms = other.last_ts_ms;
    }
  }
  double mean() const { return count > 0 ? sum / static_cast<double>(count) : 0.0; }
};

}  // namespace hepek::recorder
