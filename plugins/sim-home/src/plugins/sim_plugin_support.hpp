// What the four sim-home plugins share: the interval a step covers, the "interval" object they put in their
// state so the grid meter can match one step's inputs, live-mode timing, and summary rounding.
//
// Contract: in simulation, step(phase, now_ms) covers [now_ms, now_ms + step_s) where step_s is the plugin's
// `step_s` key (it must equal [hub] step_s; a mismatch with the observed step spacing is logged). In live
// mode a timer fires every `period_s` and covers the period that just ended, aligned to multiples of the
// period so that devices with the same period report the same interval. Header-only; no state.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <hepek/plugin.hpp>
#include <nlohmann/json.hpp>

#include "csv_series.hpp"
#include "energy.hpp"
#include "time_util.hpp"

namespace hepek::sim {

struct Interval {
  std::int64_t start_ms = 0;
  std::int64_t duration_ms = 0;
};

inline Interval live_interval(std::int64_t now_ms, std::int64_t period_ms) {
  return {floor_div(now_ms, period_ms) * period_ms - period_ms, period_ms};
}

// A setting the hub also has ([hub] step_s, latitude, longitude): the plugin's own value when its table sets it,
// otherwise the hub's, so the home's location and the step are written once.
inline nlohmann::json setting_or_hub(const nlohmann::json& config, const Host& host, const char* key) {
  if (config.contains(key)) return config.at(key);
  return host.hub_settings().at(key);
}

inline std::int64_t positive_seconds_ms(const nlohmann::json& config, const char* key) {
  const std::int64_t seconds = config.at(key).get<std::int64_t>();
  if (seconds <= 0) throw std::invalid_argument(std::string(key) + " must be a positive number of seconds");
  return seconds * 1000;
}

// The replayed CSV series of a device whose table says source = "csv" (keys csv, column, scale, wrap).
inline std::unique_ptr<CsvSeries> csv_series_from_config(const nlohmann::json& config) {
  const std::string path = config.at("csv").get<std::string>();
  if (path.empty()) throw std::invalid_argument("source = \"csv\" needs csv = \"<path>\"");
  return std::make_unique<CsvSeries>(CsvSeriesOptions{path, config.at("column").get<std::string>(),
                                                      config.at("scale").get<double>(),
                                                      config.at("wrap").get<bool>()});
}

// Watches the spacing of simulation steps and warns once when it differs from the configured step_s.
class StepSpacingCheck {
 public:
  explicit StepSpacingCheck(std::int64_t step_ms) : step_ms_(step_ms) {}
  void observe(const Host& host, std::int64_t now_ms) {
    if (last_ms_ && now_ms - *last_ms_ != step_ms_ && !warned_) {
      host.warn("step_s is " + std::to_string(step_ms_ / 1000) + " s but the simulation steps every " +
                std::to_string((now_ms - *last_ms_) / 1000) + " s; set step_s to the [hub] step_s");
      warned_ = true;
    }
    last_ms_ = now_ms;
  }

 private:
  std::int64_t step_ms_;
  std::optional<std::int64_t> last_ms_;
  bool warned_ = false;
};

// Rounds to `decimals` places by scaling with a power of ten, so the JSON shows e.g. 71.6,
// not 71.60000000000001.
inline double round_decimals(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}
inline double round_power_w(double watts) {
  return round_decimals(watts, 1);
}

// A parsed device state; nullopt for malformed payloads (which the caller logs).
inline std::optional<nlohmann::json> parse_json_object(std::string_view payload) {
  nlohmann::json value = nlohmann::json::parse(payload, nullptr, false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

// The "interval" object of a state: start and duration of the step plus the named energies (integer mWh).
inline nlohmann::json interval_json(const Interval& interval) {
  return {{"start_ms", interval.start_ms}, {"duration_ms", interval.duration_ms}};
}

inline std::string timezone_or_host(const nlohmann::json& config, const Host& host) {
  const std::string configured = config.at("timezone").get<std::string>();
  return configured.empty() ? host.timezone() : configured;
}

// Data errors during a run (e.g. a CSV without data for a step): the first is logged, the rest counted, and
// the summary reports them under {"errors":{"<instance id>":{...}}} so a run with gaps never looks complete.
class StepErrors {
 public:
  void record(const Host& host, std::int64_t start_ms, const std::exception& error) {
    if (failed_steps_++ == 0) {
      first_message_ = error.what();
      // A simulation with a hole in its inputs would report wrong totals: stop it (live, the device is failed).
      host.fail("no reading for the step at " + iso8601_utc(start_ms) + ": " + first_message_);
    }
  }
  // Merges the section into a summary object when there were errors.
  void add_to(nlohmann::json& summary, const std::string& instance_id) const {
    if (failed_steps_ == 0) return;
    summary["errors"][instance_id] = {{"failed_steps", failed_steps_}, {"first", first_message_}};
  }

 private:
  std::int64_t failed_steps_ = 0;
  std::string first_message_;
};

// The configured seed, or the hub's per-instance seed (from --seed and the instance id) when it is 0.
inline std::uint64_t seed_of(const nlohmann::json& config, const Host& host) {
  const std::int64_t configured = config.at("seed").get<std::int64_t>();
  if (configured < 0) throw std::invalid_argument("seed must be >= 0");
  return configured != 0 ? static_cast<std::uint64_t>(configured) : host.random_seed();
}

}  // namespace hepek::sim
