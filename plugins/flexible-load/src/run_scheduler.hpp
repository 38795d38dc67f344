// The scheduling state machine of one flexible load (an on/off appliance behind a switch): given the pending
// run's period, the planner's windows for this load and the switch's reported state, whether the switch should
// be on now. No clock of its own: every call takes now_ms (the hub clock, injected), so it is tested without a hub.
//
// Rules, in order (decide()):
//  - no run pending: off (idle); the run time delivered reached run_ms: off (done).
//  - not allowed (disabled, or a power limit below the rated power): off.
//  - a non-interruptible run that started runs to its end, whatever the plan says.
//  - before the earliest start: off.
//  - at or after latest_start = deadline - remaining run time - margin (with `lookahead_ms`: a decision that holds for
//    a whole simulation step starts in the step that contains it): on, plan or not (the deadline guarantee).
//  - with a plan entry: on inside a planned window that lies within [earliest, deadline]; an interruptible load
//    starts a chunk only when the window leaves at least min(min_run, remaining) and ends a chunk at a window's
//    end only after min_run.
//  - without a plan entry (no plan, a stale plan, a plan without this load): off until latest_start.
// Delivered run time is counted from the switch's REPORTED state (switch_reported()), capped at run_ms.
//
// Not thread-safe (the hub's event thread owns it). Never throws on input; set_plan() returns the windows it
// refused so the caller can log them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <hepek/payloads/plan.hpp>

#include "run_period.hpp"

namespace hepek::flexload {

enum class RunState { idle, waiting, running, paused, done };
const char* run_state_name(RunState state);

struct LoadSpec {
  std::int64_t run_ms = 0;
  bool interruptible = false;
  std::int64_t min_run_ms = 0;  // interruptible: the shortest chunk
  std::int64_t margin_ms = 0;   // the fallback starts this much before it must (switching takes time)
};

// A pending run's progress: what is persisted across restarts.
struct RunProgress {
  RunPeriod period;
  std::int64_t delivered_ms = 0;
  bool requested = false;  // asked for at run time (run_until), not configured
  bool operator==(const RunProgress&) const = default;
};

struct Decision {
  bool switch_on = false;
  RunState state = RunState::idle;
  std::string reason;
  std::int64_t remaining_ms = 0;
  std::optional<std::int64_t> latest_start_ms;  // while a run is pending
};

class RunScheduler {
 public:
  explicit RunScheduler(LoadSpec spec) : spec_(spec) {}

  const LoadSpec& spec() const { return spec_; }
  // Starts tracking a new pending run (progress restored from disk, or a fresh one), or none.
  void set_run(std::optional<RunProgress> run);
  const std::optional<RunProgress>& run() const { return run_; }
  bool done() const { return run_ && run_->delivered_ms >= spec_.run_ms; }

  // The switch reported on/off (nullopt: unknown, e.g. offline) at now_ms; the time since the previous report
  // or account() counts as delivered when the switch was on.
  void switch_reported(std::int64_t now_ms, std::optional<bool> on);
  // Counts delivered time up to now_ms without a new report (call it on every tick).
  void account(std::int64_t now_ms);
  std::optional<bool> switch_on() const { return switch_on_; }

  // This load's windows from the plan (nullopt: no plan entry, or the plan is stale). Returns the windows
  // refused because they do not lie within the pending run's [earliest, deadline]; they are ignored.
  std::vector<payloads::RunWindow> set_plan(std::optional<std::vector<payloads::RunWindow>> windows);
  bool has_plan() const { return plan_.has_value(); }

  Decision decide(std::int64_t now_ms, bool allowed, std::int64_t lookahead_ms = 0) const;

 private:
  bool within_period(const payloads::RunWindow& window) const;

  LoadSpec spec_;
  std::optional<RunProgress> run_;
  std::optional<std::vector<payloads::RunWindow>> plan_;
  std::optional<bool> switch_on_;
  std::int64_t last_mark_ms_ = 0;
  std::int64_t chunk_ms_ = 0;  // run time since the switch last came on
};

}  // namespace hepek::flexload
