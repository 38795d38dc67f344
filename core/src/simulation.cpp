#include "simulation.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>
#include <unistd.h>
#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/zone_clock.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "hub.hpp"
#include "log.hpp"

namespace hepek::core {

namespace {

using Milliseconds = std::chrono::milliseconds;
using SysMs = date::sys_time<Milliseconds>;

const date::time_zone* zone(const std::string& name) {
  return &timeseries::find_zone(name);
}

void draw_progress(int64_t done, int64_t total) {
  const int width = 40;
  const int filled = total > 0 ? static_cast<int>(width * done / total) : width;
  std::fprintf(stderr, "\r[%.*s%*s] %3d%% step %lld/%lld", filled, "########################################",
               width - filled, "", total > 0 ? static_cast<int>(100 * done / total) : 100,
               static_cast<long long>(done), static_cast<long long>(total));
  if (done == total) std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace

int64_t parse_start_time(const std::string& text, const std::string& timezone) {
  try {
    return timeseries::parse_iso8601_or_throw(text, {true, zone(timezone)}).unix_ms();
  } catch (const timeseries::Iso8601Error& error) {
    throw std::invalid_argument(fmt::format(
        "--from: {} (a date YYYY-MM-DD or a date-time with offset such as 2024-01-01T00:00:00+01:00)",
        error.what()));
  }
}

int64_t add_calendar_days(int64_t start_ms, int64_t days, const std::string& timezone) {
  const auto* tz = zone(timezone);
  const auto local = tz->to_local(SysMs(Milliseconds(start_ms)));
  const auto local_day = date::floor<date::days>(local);
  const auto time_of_day = local - local_day;
  const auto target = date::local_days(local_day + date::days(days)) + time_of_day;
  const auto zoned = date::make_zoned(tz, target, date::choose::earliest);
  return std::chrono::duration_cast<Milliseconds>(zoned.get_sys_time().time_since_epoch()).count();
}

std::string local_iso8601(int64_t unix_ms, const std::string& timezone) {
  return timeseries::format_iso8601_in_zone(unix_ms, *zone(timezone));
}

nlohmann::json run_simulation(const HubConfig& config, const SimulationRequest& request) {
  if (request.days <= 0) throw std::invalid_argument("--days must be a positive number of days");
  const int64_t from_ms = parse_start_time(request.from, config.timezone);
  const int64_t to_ms = add_calendar_days(from_ms, request.days, config.timezone);
  const int64_t step_ms = config.step_s * 1000;

  HubOptions options;
  options.simulation = true;
  options.start_ms = from_ms;
  options.seed = request.seed;
  options.data_dir = request.data_dir;
  Hub hub(config, options);
  // The simulation writes its own data dir (databases, keys), so it is locked like a hub's: a second
  // `hepek simulate` on the same one refuses instead of clearing it under the first. Cleared after locking.
  hub.lock_data_dir();
  for (const auto& entry : std::filesystem::directory_iterator(request.data_dir)) {
    std::error_code ignored;
    if (entry.path().filename() != DataDirLock::kFileName) std::filesystem::remove_all(entry.path(), ignored);
  }
  hub.discover_plugins();
  for (const auto& refusal : hub.refusals()) log_warning("plugins", refusal.path + " " + refusal.reason);
  const auto errors = hub.plan_instances();
  if (!errors.empty()) {
    std::string text;
    for (const auto& error : errors) text += "\n  " + error.to_string();
    throw std::invalid_argument("the config does not fit its plugins:" + text);
  }
  hub.start();
  for (const auto& instance : hub.instances())
    if (instance->state != InstanceState::running)
      throw std::runtime_error(
          fmt::format("plugin \"{}\" did not start: {}", instance->id(), instance->reason));

  EventLoop& loop = hub.loop();
  const int64_t total = (to_ms - from_ms + step_ms - 1) / step_ms;
  int64_t step = 0;
  const auto wall_start = std::chrono::steady_clock::now();
  auto last_draw = wall_start;
  for (int64_t now = from_ms; now < to_ms; now += step_ms, ++step) {
    loop.advance_to(now);
    loop.drain();
    for (int32_t phase : {HEPEK_PHASE_SENSE, HEPEK_PHASE_DECIDE, HEPEK_PHASE_ACT}) {
      hub.step_all(phase, now);
      loop.drain();
    }
    if (const std::string failure = hub.first_failure(); !failure.empty()) {
      if (request.progress) std::fputc('\n', stderr);
      throw std::runtime_error(fmt::format("the simulation stopped at {}: plugin {}",
                                           local_iso8601(now, config.timezone), failure));
    }
    if (request.progress) {
      const auto wall = std::chrono::steady_clock::now();
      if (wall - last_draw > std::chrono::milliseconds(100)) {
        draw_progress(step, total);
        last_draw = wall;
      }
    }
  }
  loop.advance_to(to_ms);
  loop.drain();
  if (request.progress) draw_progress(total, total);

  nlohmann::json summary{{"from", local_iso8601(from_ms, config.timezone)},
                         {"days", request.days},
                         {"step_s", config.step_s},
                         {"steps", total},
                         {"seed", request.seed}};
  const nlohmann::json sections = hub.summary();
  for (const auto& [key, value] : sections.items()) summary[key] = value;
  hub.shutdown();
  return summary;
}

}  // namespace hepek::core
