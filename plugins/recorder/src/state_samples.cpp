#include "state_samples.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include <hepek/json_limits.hpp>
#include <hepek/timeseries/iso8601.hpp>

namespace hepek::recorder {
namespace {

std::optional<double> number_from_string(const std::string& text) {
  double value = 0;
  const char* begin = text.data();
  const char* end = begin + text.size();
  while (begin < end && *begin == ' ') ++begin;
  while (end > begin && end[-1] == ' ') --end;
  if (begin < end && *begin == '+') ++begin;
  const auto [stop, error] = std::from_chars(begin, end, value);
  if (error != std::errc() || stop != end || begin == end || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

Result<StateSamples> samples_from_state(const DeviceMetadata& device, std::string_view payload,
                                        int64_t fallback_ms) {
  using R = Result<StateSamples>;
  // The same reading as a command's: a NUL byte or a key given twice makes the state ambiguous, not half-read.
  const auto parsed = json_limits::parse_limited(payload);
  if (!parsed)
    return R::failure(fmt::format("state of device '{}' is not valid JSON: {}", device.name, parsed.error()));
  const nlohmann::json& json = parsed.value();
  if (!json.is_object())
    return R::failure(fmt::format("state of device '{}' is not a JSON object", device.name));

  StateSamples result;
  result.ts_ms = fallback_ms;
  if (const auto ts = json.find("ts"); ts != json.end()) {
    std::optional<timeseries::Instant> parsed;
    if (ts->is_string())
      parsed = timeseries::parse_iso8601(ts->get_ref<const std::string&>(), timeseries::kDateOrDateTime);
    if (parsed) {
      result.ts_ms = parsed->unix_ms();
      result.time_from_state = true;
    } else
      result.warning = fmt::format("state of device '{}' has an unreadable \"ts\" {}; using the hub clock",
                                   device.name, quote_json(*ts, 64));
  }

  for (const auto& field : device.fields) {
    if (!field.recorded) continue;
    const auto it = json.find(field.field);
    if (it == json.end() || it->is_null()) continue;  // absent or unavailable: nothing to record
    std::optional<double> value;
    if (it->is_number()) {
      value = it->get<double>();
      if (!std::isfinite(*value)) value.reset();
    } else if (it->is_boolean()) {
      value = it->get<bool>() ? 1.0 : 0.0;
    } else if (it->is_string() && field.numeric) {
      value = number_from_string(it->get_ref<const std::string&>());
    }
    if (!value) {
      if (it->is_string() && !field.numeric) continue;  // text field: not ours to record, not an error
      result.skipped.push_back(fmt::format("{}: {} is not a number", field.field, quote_json(*it, 64)));
      continue;
    }
    result.samples.push_back({device.name, field.field, result.ts_ms, *value});
  }
  return R::success(std::move(result));
}

}  // namespace hepek::recorder
