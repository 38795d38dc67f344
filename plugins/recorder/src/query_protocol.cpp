#include "query_protocol.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include <hepek/json_limits.hpp>
#include <hepek/quote.hpp>
#include <hepek/timeseries/iso8601.hpp>

#include "page_cursor.hpp"

namespace hepek::recorder {
namespace {

constexpr std::array<std::string_view, 8> kKeys{"device",     "fields", "from",  "to",
                                                "resolution", "stat",   "limit", "cursor"};

Result<int64_t> required_time(const nlohmann::json& request, const char* key) {
  const auto it = request.find(key);
  if (it == request.end()) return Result<int64_t>::failure(fmt::format("request has no \"{}\" time", key));
  if (!it->is_string())
    return Result<int64_t>::failure(
        fmt::format("\"{}\" must be an ISO 8601 string, got {}", key, quote_json(*it)));
  const auto parsed =
      timeseries::parse_iso8601(it->get_ref<const std::string&>(), timeseries::kDateOrDateTime);
  if (!parsed)
    return Result<int64_t>::failure(fmt::format("\"{}\" is not an ISO 8601 time: {}", key, quote_json(*it)));
  return Result<int64_t>::success(parsed->unix_ms());
}

}  // namespace

Result<SeriesQuery> parse_query_request(std::string_view payload, const SeriesQuery& defaults) {
  using R = Result<SeriesQuery>;
  const auto parsed = json_limits::parse_limited(payload);
  if (!parsed) return R::failure("the request is malformed: " + parsed.error());
  const nlohmann::json& request = *parsed;
  if (!request.is_object()) return R::failure("request must be a JSON object");
  for (const auto& [key, value] : request.items())
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end())
      return R::failure(
          fmt::format("unknown key \"{}\" in the request; known: device, fields, from, to, resolution, stat, "
                      "limit, cursor",
                      quote_prefix(key, 64)));
  SeriesQuery query = defaults;

  const auto device = request.find("device");
  if (device == request.end() || !device->is_string() || device->get_ref<const std::string&>().empty())
    return R::failure("\"device\" must be a non-empty string");
  query.device = device->get<std::string>();

  query.fields.clear();
  if (const auto fields = request.find("fields"); fields != request.end()) {
    if (!fields->is_array()) return R::failure("\"fields\" must be an array of field names");
    for (std::size_t i = 0; i < fields->size(); ++i) {
      const auto& field = (*fields)[i];
      if (!field.is_string() || field.get_ref<const std::string&>().empty())
        return R::failure(
            fmt::format("\"fields\"[{}] must be a non-empty string, got {}", i, quote_json(field)));
      if (std::find(query.fields.begin(), query.fields.end(), field) != query.fields.end())
        return R::failure(fmt::format("\"fields\" names {} twice", quote_json(field)));
      query.fields.push_back(field.get<std::string>());
    }
  }

  const auto from = required_time(request, "from");
  if (!from) return R::failure(from.error());
  const auto to = required_time(request, "to");
  if (!to) return R::failure(to.error());
  query.from_ms = from.value();
  query.to_ms = to.value();
  if (query.from_ms >= query.to_ms) return R::failure("\"from\" must be before \"to\"");

  query.resolution = Resolution::raw;
  if (const auto resolution = request.find("resolution"); resolution != request.end()) {
    const auto parsed =
        resolution->is_string() ? parse_resolution(resolution->get_ref<const std::string&>()) : std::nullopt;
    if (!parsed)
      return R::failure(
          fmt::format("\"resolution\" must be one of raw, 15m, 1h, 1d, got {}", quote_json(*resolution)));
    query.resolution = *parsed;
  }
  query.statistic = Statistic::automatic;
  if (const auto stat = request.find("stat"); stat != request.end()) {
    const auto parsed =
        stat->is_string() ? parse_statistic(stat->get_ref<const std::string&>()) : std::nullopt;
    if (!parsed)
      return R::failure(fmt::format("\"stat\" must be one of auto, mean, min, max, last, count, got {}",
                                    quote_json(*stat)));
    query.statistic = *parsed;
  }
  query.page_points = defaults.page_points;
  if (const auto limit = request.find("limit"); limit != request.end()) {
    // nlohmann stores a non-negative integer as unsigned; a negative one, a fraction or 1e9 is not.
    const bool fits = limit->is_number_unsigned() && limit->get<uint64_t>() >= 1 &&
                      limit->get<uint64_t>() <= defaults.page_points;
    if (!fits)
      return R::failure(fmt::format("\"limit\" must be an integer from 1 to {}, got {}", defaults.page_points,
                                    quote_json(*limit)));
    query.page_points = limit->get<std::size_t>();
  }
  if (const auto cursor = request.find("cursor"); cursor != request.end()) {
    if (!cursor->is_string())
      return R::failure(
          fmt::format("\"cursor\" must be a string (a page's \"next\"), got {}", quote_json(*cursor)));
    auto position = decode_cursor(cursor->get_ref<const std::string&>(), query);
    if (!position) return R::failure(position.error());
    query.start = position.value();
  }
  return R::success(std::move(query));
}

nlohmann::json query_response(const SeriesSet& result, const SeriesQuery& query) {
  nlohmann::json series = nlohmann::json::object();
  nlohmann::json units = nlohmann::json::object();
  nlohmann::json stats = nlohmann::json::object();
  for (const auto& one : result.series) {
    nlohmann::json points = nlohmann::json::array();
    for (const auto& point : one.points)
      points.push_back({timeseries::format_iso8601_ms(point.ts_ms), point.value});
    series[one.field] = std::move(points);
    units[one.field] = one.unit;
    stats[one.field] = result.resolution == Resolution::raw ? "raw" : statistic_name(one.statistic);
  }
  nlohmann::json response{{"ok", true},
                          {"device", result.device},
                          {"resolution", resolution_name(result.resolution)},
                          {"series", std::move(series)},
                          {"units", std::move(units)},
                          {"stats", std::move(stats)}};
  if (result.next) response["next"] = encode_cursor(*result.next, query);
  return response;
}

nlohmann::json query_error(const std::string& error) {
  return {{"ok", false}, {"error", error}};
}

}  // namespace hepek::recorder
