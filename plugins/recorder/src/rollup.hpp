// Combining 15-minute aggregates into hours and days, and reading one statistic out of an aggregate.
//
// Contract: rollup() takes aggregates sorted by bucket start and returns one aggregate per hour (UTC) or per
// day (midnight to midnight in `zone`, so 23- and 25-hour DST days come out right), labelled by the coarser
// bucket's start, in order. Pure, thread-safe.
#pragma once

#include <vector>

#include <date/tz.h>

#include "aggregate.hpp"
#include "series_query.hpp"

namespace hepek::recorder {

std::vector<Aggregate> rollup(const std::vector<Aggregate>& quarter_hours, Resolution resolution,
                              const date::time_zone* zone);

// `statistic` must be resolved (not automatic).
double statistic_value(const Aggregate& aggregate, Statistic statistic);

}  // namespace hepek::recorder
