// CSV of a query result: header "time,<field>...", one row per distinct timestamp (ISO 8601 UTC) in time
// order, an empty cell where a field has no value at that time. Numbers use the shortest text that reads back
// exactly. Field names containing a comma, quote or newline are quoted (RFC 4180). Pure, thread-safe.
#pragma once

#include <ostream>

#include "series_query.hpp"

namespace hepek::recorder {

void write_csv(std::ostream& out, const SeriesSet& result);

}  // namespace hepek::recorder
