// RunScheduler on an injected clock: planned windows followed, the latest-start fallback reaching the deadline
// exactly, interruptible chunks vs a run that goes to its end, not allowed, refused windows, a stale plan.
#include "run_scheduler.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

namespace hepek::flexload {
namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kT0 = 1'700'000'000'000;  // the period's earliest start

// Simulates the switch following each decision at `step_ms` resolution from `from` to `to`; returns the times at
// which the switch was turned on and off.
struct Trace {
  std::vector<std::int64_t> on, off;
  std::optional<std::int64_t> done_at;
};
Trace run(RunScheduler& s, std::int64_t from, std::int64_t to, std::int64_t step_ms = 1000) {
  Trace trace;
  for (std::int64_t now = from; now <= to; now += step_ms) {
    s.account(now);
    const Decision d = s.decide(now, true);
    if (d.state == RunState::done && !trace.done_at) trace.done_at = now;
    const bool on = s.switch_on().value_or(false);
    if (d.switch_on != on) {
      (d.switch_on ? trace.on : trace.off).push_back(now);
      s.switch_reported(now, d.switch_on);
    }
  }
  return trace;
}

RunScheduler scheduler(std::int64_t run_ms, bool interruptible = false, std::int64_t min_run_ms = 0) {
  RunScheduler s(LoadSpec{run_ms, interruptible, min_run_ms});
  s.set_run(RunProgress{{kT0, kT0 + 240 * kMinute}, 0});
  s.switch_reported(kT0 - 1000, false);
  return s;
}

TEST(RunScheduler, NoPlanStartsAtTheLatestStartAndEndsExactlyAtTheDeadline) {
  RunScheduler s = scheduler(60 * kMinute);
  EXPECT_EQ(*s.decide(kT0, true).latest_start_ms, kT0 + 180 * kMinute);
  EXPECT_FALSE(s.decide(kT0 + 180 * kMinute - 1, true).switch_on);
  const Trace trace = run(s, kT0, kT0 + 300 * kMinute);
  ASSERT_EQ(trace.on.size(), 1u);
  EXPECT_EQ(trace.on[0], kT0 + 180 * kMinute);
  ASSERT_EQ(trace.off.size(), 1u);
  EXPECT_EQ(trace.off[0], kT0 + 240 * kMinute);  // the deadline, to the millisecond step
  EXPECT_EQ(*trace.done_at, kT0 + 240 * kMinute);
  EXPECT_EQ(s.decide(kT0 + 300 * kMinute, true).state, RunState::done);
}

TEST(RunScheduler, AnEmptyPlanEntryAlsoWaitsForTheLatestStart) {
  RunScheduler s = scheduler(60 * kMinute);
  EXPECT_TRUE(s.set_plan(std::vector<payloads::RunWindow>{}).empty());
  const Trace trace = run(s, kT0, kT0 + 300 * kMinute, kMinute);
  ASSERT_EQ(trace.on.size(), 1u);
  EXPECT_EQ(trace.on[0], kT0 + 180 * kMinute);
}

TEST(RunScheduler, FollowsAPlannedWindow) {
  RunScheduler s = scheduler(60 * kMinute);
  EXPECT_TRUE(s.set_plan(std::vector<payloads::RunWindow>{{kT0 + 30 * kMinute, kT0 + 90 * kMinute}}).empty());
  EXPECT_EQ(s.decide(kT0 + 29 * kMinute, true).reason, "outside the planned windows");
  const Trace trace = run(s, kT0, kT0 + 300 * kMinute, kMinute);
  EXPECT_EQ(trace.on, std::vector<std::int64_t>{kT0 + 30 * kMinute});
  EXPECT_EQ(trace.off, std::vector<std::int64_t>{kT0 + 90 * kMinute});
}

TEST(RunScheduler, ANonInterruptibleRunGoesOnPastItsWindow) {
  RunScheduler s = scheduler(60 * kMinute);
  s.set_plan(std::vector<payloads::RunWindow>{{kT0 + 30 * kMinute, kT0 + 45 * kMinute}});
  const Trace trace = run(s, kT0, kT0 + 300 * kMinute, kMinute);
  EXPECT_EQ(trace.on, std::vector<std::int64_t>{kT0 + 30 * kMinute});
  EXPECT_EQ(trace.off, std::vector<std::int64_t>{kT0 + 90 * kMinute});
}

TEST(RunScheduler, AnInterruptibleRunIsSplitOverWindowsAndFinishesByTheDeadline) {
  RunScheduler s = scheduler(60 * kMinute, /*interruptible=*/true, 10 * kMinute);
  s.set_plan(
      std::vector<payloads::RunWindow>{{kT0 + 10 * kMinute, kT0 + 30 * kMinute},
                                       {kT0 + 100 * kMinute, kT0 + 105 * kMinute},  // shorter than min_run
                                       {kT0 + 120 * kMinute, kT0 + 140 * kMinute}});
  const Trace trace = run(s, kT0, kT0 + 300 * kMinute, kMinute);
  // 20 + 20 minutes planned, 20 left: the latest start is 220 min.
  EXPECT_EQ(trace.on,
            (std::vector<std::int64_t>{kT0 + 10 * kMinute, kT0 + 120 * kMinute, kT0 + 220 * kMinute}));
  EXPECT_EQ(trace.off,
            (std::vector<std::int64_t>{kT0 + 30 * kMinute, kT0 + 140 * kMinute, kT0 + 240 * kMinute}));
}

TEST(RunScheduler, AnInterruptibleChunkLastsAtLeastMinRun) {
  RunScheduler s = scheduler(60 * kMinute, true, 10 * kMinute);
  s.set_plan(std::vector<payloads::RunWindow>{{kT0 + 10 * kMinute, kT0 + 30 * kMinute}});
  // The switch came on late (at 25 min): the chunk goes on to 35 min although the window ends at 30.
  s.switch_reported(kT0 + 25 * kMinute, true);
  s.account(kT0 + 30 * kMinute);
  EXPECT_TRUE(s.decide(kT0 + 30 * kMinute, true).switch_on);
  s.account(kT0 + 35 * kMinute);
  EXPECT_FALSE(s.decide(kT0 + 35 * kMinute, true).switch_on);
  EXPECT_EQ(s.decide(kT0 + 35 * kMinute, true).state, RunState::running);  // until the switch reports off
  s.switch_reported(kT0 + 35 * kMinute, false);
  EXPECT_EQ(s.decide(kT0 + 35 * kMinute, true).state, RunState::paused);
  EXPECT_EQ(s.decide(kT0 + 35 * kMinute, true).remaining_ms, 50 * kMinute);
}

TEST(RunScheduler, WindowsOutsideThePeriodAreRefusedAndIgnored) {
  RunScheduler s = scheduler(60 * kMinute);
  const auto refused = s.set_plan(std::vector<payloads::RunWindow>{
      {kT0 - 30 * kMinute, kT0 + 30 * kMinute}, {kT0 + 200 * kMinute, kT0 + 300 * kMinute}});
  ASSERT_EQ(refused.size(), 2u);
  EXPECT_EQ(refused[0].start_ms, kT0 - 30 * kMinute);
  EXPECT_FALSE(s.decide(kT0 + 10 * kMinute, true).switch_on);
  const Trace trace = run(s, kT0, kT0 + 300 * kMinute, kMinute);
  EXPECT_EQ(trace.on, std::vector<std::int64_t>{kT0 + 180 * kMinute});  // the fallback still holds
}

TEST(RunScheduler, NotAllowedKeepsItOffEvenPastTheLatestStart) {
  RunScheduler s = scheduler(60 * kMinute);
  const Decision d = s.decide(kT0 + 200 * kMinute, false);
  EXPECT_FALSE(d.switch_on);
  EXPECT_EQ(d.state, RunState::waiting);
  EXPECT_TRUE(s.decide(kT0 + 200 * kMinute, true).switch_on);
}

TEST(RunScheduler, DeliveredTimeCountsOnlyWhileTheSwitchReportsOn) {
  RunScheduler s = scheduler(60 * kMinute);
  s.switch_reported(kT0 + 10 * kMinute, true);
  s.switch_reported(kT0 + 20 * kMinute, std::nullopt);  // offline: unknown, not counted
  s.account(kT0 + 40 * kMinute);
  s.switch_reported(kT0 + 40 * kMinute, true);
  s.account(kT0 + 45 * kMinute);
  EXPECT_EQ(s.run()->delivered_ms, 15 * kMinute);
  EXPECT_EQ(s.decide(kT0 + 45 * kMinute, true).remaining_ms, 45 * kMinute);
  // A non-interruptible run that started goes on, plan or not.
  s.switch_reported(kT0 + 45 * kMinute, false);
  EXPECT_TRUE(s.decide(kT0 + 46 * kMinute, true).switch_on);
}

TEST(RunScheduler, RestoredProgressShortensTheRemainingRun) {
  RunScheduler s(LoadSpec{60 * kMinute, true, 0});
  s.set_run(RunProgress{{kT0, kT0 + 240 * kMinute}, 40 * kMinute});
  EXPECT_EQ(*s.decide(kT0, true).latest_start_ms, kT0 + 220 * kMinute);
  s.set_run(RunProgress{{kT0, kT0 + 240 * kMinute}, 999 * kMinute});  // more than the run: capped, done
  EXPECT_EQ(s.decide(kT0, true).state, RunState::done);
}

TEST(RunScheduler, ALookaheadStartsInTheStepThatContainsTheLatestStart) {
  RunScheduler s = scheduler(60 * kMinute);  // latest start 180 min
  EXPECT_FALSE(s.decide(kT0 + 165 * kMinute, true, 15 * kMinute).switch_on);
  EXPECT_TRUE(s.decide(kT0 + 170 * kMinute, true, 15 * kMinute).switch_on);
}

TEST(RunScheduler, TheMarginStartsTheFallbackEarly) {
  RunScheduler s(LoadSpec{60 * kMinute, false, 0, 5 * kMinute});
  s.set_run(RunProgress{{kT0, kT0 + 240 * kMinute}, 0});
  s.switch_reported(kT0, false);
  const Trace trace = run(s, kT0, kT0 + 300 * kMinute, kMinute);
  EXPECT_EQ(trace.on, std::vector<std::int64_t>{kT0 + 175 * kMinute});
  EXPECT_EQ(trace.off, std::vector<std::int64_t>{kT0 + 235 * kMinute});
}

TEST(RunScheduler, NoRunMeansIdleAndOff) {
  RunScheduler s(LoadSpec{60 * kMinute, false, 0});
  const Decision d = s.decide(kT0, true);
  EXPECT_EQ(d.state, RunState::idle);
  EXPECT_FALSE(d.switch_on);
  EXPECT_STREQ(run_state_name(RunState::paused), "paused");
}

}  // namespace
}  // namespace hepek::flexload
