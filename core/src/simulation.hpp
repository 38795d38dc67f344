// Lock-step simulation in virtual time: `hepek simulate`.
//
// Contract: builds a hub on the in-process bus and a virtual clock, then for each step of [hub] step_s from `from`
// to `from + days` (calendar days in the home's time zone): fires due timers, then runs sense, decide and act on
// every instance in config order, delivering every message a phase caused before the next phase starts. The summary
// is {"from","days","step_s","steps"} deep-merged with every instance's summary section. Same config + seed → same
// bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "config.hpp"

namespace hepek::core {

struct SimulationRequest {
  std::string from;  // a date (midnight in the home's time zone) or an ISO 8601 date-time with offset
  int64_t days = 1;
  uint64_t seed = 1;
  std::string data_dir;   // wiped and used for this run
  bool progress = false;  // draw a progress bar on stderr
};

// Unix ms of `text` (YYYY-MM-DD at local midnight in `timezone`, or YYYY-MM-DDThh:mm[:ss][Z|±hh:mm]). Throws
// std::invalid_argument naming the input.
int64_t parse_start_time(const std::string& text, const std::string& timezone);
// Unix ms of local midnight `days` calendar days after `start_ms` in `timezone`.
int64_t add_calendar_days(int64_t start_ms, int64_t days, const std::string& timezone);
// ISO 8601 local time with offset, e.g. 2024-01-01T00:00:00+01:00.
std::string local_iso8601(int64_t unix_ms, const std::string& timezone);

nlohmann::json run_simulation(const HubConfig& config, const SimulationRequest& request);

}  // namespace hepek::core
