// The recorder's bus protocol: hepek/<recorder id>/request/<id> carries a JSON query, the answer goes to
// hepek/<recorder id>/response/<id> (the topic contract, sdk/docs/topics.md; plugins/recorder/README.md).
//
//   request:
//   {"device":"meter","fields":["power_import"],"from":"2024-01-01T00:00:00Z","to":"2024-01-02T00:00:00Z",
//    "resolution":"raw"|"15m"|"1h"|"1d", "stat":"auto"|"mean"|"min"|"max"|"last"|"count",
//    "limit":10000, "cursor":"<a page's next>"}
//             fields (default: all recorded), resolution (default raw), stat (default auto), limit (points per
//             page, default and most: the recorder's max_points) and cursor (absent: the first page) are optional;
//             any other key is an error.
//   response:
//   {"ok":true,"device":..,"resolution":..,"series":{"power_import":[["2024-01-01T00:00:00Z",512.0],..]},
//    "units":{"power_import":"W"},"stats":{"power_import":"mean"},"next":"<cursor>"}
//             "next" only when more points follow: ask again with the same query and "cursor": next. Every page
//             lists every series asked for (empty where this page has none of its points).
//             or {"ok":false,"error":"..."} naming the bad input.
// Pure functions, thread-safe; never throw on bad input.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hepek/result.hpp"
#include "series_query.hpp"

namespace hepek::recorder {

// `defaults` supplies what the request cannot set: the time zone, and page_points as the default and largest limit.
Result<SeriesQuery> parse_query_request(std::string_view payload, const SeriesQuery& defaults);
// `query` is the one answered (it names the next page's cursor).
nlohmann::json query_response(const SeriesSet& result, const SeriesQuery& query);
nlohmann::json query_error(const std::string& error);

}  // namespace hepek::recorder
