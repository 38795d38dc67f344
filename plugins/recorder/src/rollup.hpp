// Combining 15-minute aggregates into hours and days, and reading one statistic out of an aggregate.
//
// Contract: coarse_bucket_start() names the bucket of `resolution` a 15-minute aggregate belongs to: itself for 15m,
// its UTC hour for 1h, its day (midnight to midnight in `zone`, so 23- and 25-hour DST days come out right) for 1d;
// aggregates in time order fall into coarse buckets in time order, merged with Aggregate::merge. Pure, thread-safe;
// throws std::invalid_argument for raw (not an aggregate resolution) and for 1d without a zone.
#pragma once

#include <date/tz.h>

#include "aggregate.hpp"
#include "series_query.hpp"

namespace hepek::recorder {

int64_t coarse_bucket_start(int64_t quarter_ms, Resolution resolution, const date::time_zone* zone);

// `statistic` must be resolved (not automatic).
double statistic_value(const Aggregate& aggregate, Statistic statistic);

}  // namespace hepek::recorder
