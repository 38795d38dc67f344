#include "run_scheduler.hpp"

#include <algorithm>

namespace hepek::flexload {

const char* run_state_name(RunState state) {
  switch (state) {
    case RunState::idle:
      return "idle";
    case RunState::waiting:
      return "waiting";
    case RunState::running:
      return "running";
    case RunState::paused:
      return "paused";
    case RunState::done:
      return "done";
  }
  return "idle";
}

void RunScheduler::set_run(std::optional<RunProgress> run) {
  run_ = std::move(run);
  if (run_) run_->delivered_ms = std::clamp<std::int64_t>(run_->delivered_ms, 0, spec_.run_ms);
  chunk_ms_ = 0;
}

void RunScheduler::account(std::int64_t now_ms) {
  if (now_ms > last_mark_ms_ && switch_on_.value_or(false) && run_) {
    const std::int64_t before = run_->delivered_ms;
    run_->delivered_ms = std::min(spec_.run_ms, before + (now_ms - last_mark_ms_));
    chunk_ms_ += run_->delivered_ms - before;
  }
  last_mark_ms_ = std::max(last_mark_ms_, now_ms);
}

void RunScheduler::switch_reported(std::int64_t now_ms, std::optional<bool> on) {
  account(now_ms);
  if (!on.value_or(false)) chunk_ms_ = 0;
  switch_on_ = on;
}

bool RunScheduler::within_period(const payloads::RunWindow& window) const {
  return run_ && window.start_ms >= run_->period.earliest_ms && window.end_ms <= run_->period.deadline_ms;
}

std::vector<payloads::RunWindow> RunScheduler::set_plan(
    std::optional<std::vector<payloads::RunWindow>> windows) {
  std::vector<payloads::RunWindow> refused;
  if (windows && run_)
    for (const auto& window : *windows)
      if (!within_period(window)) refused.push_back(window);
  plan_ = std::move(windows);
  return refused;
}

Decision RunScheduler::decide(std::int64_t now_ms, bool allowed, std::int64_t lookahead_ms) const {
  Decision d;
  if (!run_) {
    d.reason = "no run pending";
    return d;
  }
  d.remaining_ms = spec_.run_ms - run_->delivered_ms;
  if (d.remaining_ms <= 0) {
    d.state = RunState::done;
    d.reason = "run complete";
    return d;
  }
  d.latest_start_ms = run_->period.deadline_ms - d.remaining_ms - spec_.margin_ms;
  const bool started = run_->delivered_ms > 0;
  const bool on_now = switch_on_.value_or(false);
  d.state = on_now ? RunState::running : started ? RunState::paused : RunState::waiting;
  const auto decided = [&](bool on, const char* reason) {
    d.switch_on = on;
    d.reason = reason;
    return d;
  };
  if (!allowed) return decided(false, "not allowed (disabled or power limit below the rated power)");
  if (started && !spec_.interruptible)
    return decided(true, "a started run goes on to its end (not interruptible)");
  if (now_ms < run_->period.earliest_ms) return decided(false, "before the earliest start");
  if (now_ms + lookahead_ms > *d.latest_start_ms || now_ms >= *d.latest_start_ms)
    return decided(true, "latest start reached: running so the deadline holds");
  if (!plan_) return decided(false, "no plan for this load: waiting for the latest start");
  const std::int64_t min_chunk = std::min(spec_.min_run_ms, d.remaining_ms);
  for (const auto& window : *plan_) {
    if (!within_period(window) || now_ms < window.start_ms || now_ms >= window.end_ms) continue;
    if (!spec_.interruptible || on_now || window.end_ms - now_ms >= min_chunk)
      return decided(true, "inside a planned window");
  }
  if (spec_.interruptible && on_now && chunk_ms_ < spec_.min_run_ms)
    return decided(true, "finishing the minimum chunk (min_run_s)");
  return decided(false, "outside the planned windows");
}

}  // namespace hepek::flexload
