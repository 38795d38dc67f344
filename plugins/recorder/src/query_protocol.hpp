// The recorder's bus protocol: hepek/<recorder id>/request/<id> carries a JSON query, the answer goes to
// hepek/<recorder id>/response/<id>.
//
//   request:
//   {"device":"meter","fields":["power_import"],"from":"2024-01-01T00:00:00Z","to":"2024-01-02T00:00:00Z",
//              "resolution":"raw"|"15m"|"1h"|"1d", "stat":"auto"|"mean"|"min"|"max"|"last"|"count"}
//             fields (default: all recorded), resolution (default raw) and stat (default auto) are optional.
//   response:
//   {"ok":true,"device":..,"resolution":..,"series":{"power_import":[["2024-01-01T00:00:00Z",512.0],..]},
//              "units":{"power_import":"W"},"stats":{"power_import":"mean"}}
//             or {"ok":false,"error":"..."} naming the bad input.
// Pure functions, thread-safe; never throw on bad input.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hepek/result.hpp"
#include "series_query.hpp"

namespace hepek::recorder {

// `defaults` supplies what the request cannot set (time zone, point limit).
Result<SeriesQuery> parse_query_request(std::string_view payload, const SeriesQuery& defaults);
nlohmann::json query_response(const SeriesSet& result);
nlohmann::json query_error(const std::string& error);

}  // namespace hepek::recorder
