// The hub's event loop: one thread runs every plugin callback (messages, timers, commands, steps), one at a time.
//
// Contract: post() and add_timer()/cancel_timer() are thread-safe. In real time, run() sleeps until the next task or
// timer and returns after stop(). In virtual time (simulation) nothing runs by itself: the simulation driver calls
// advance_to(t), which fires due timers in (due time, timer id) order, and drain(), which runs queued tasks until
// none are left — so a run is deterministic. A task or timer that throws is logged and the loop goes on.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>

namespace hepek::core {

class EventLoop {
 public:
  using Task = std::function<void()>;

  explicit EventLoop(bool virtual_time, int64_t start_ms = 0);

  // Current hub time in ms since the Unix epoch (system clock, or the virtual clock).
  int64_t now_ms() const;
  bool is_virtual() const { return virtual_time_; }

  void post(Task task);
  uint64_t add_timer(uint64_t period_ms, Task task);
  void cancel_timer(uint64_t id);

  // Real time: runs until stop(). Returns immediately in virtual time.
  void run();
  void stop();
  bool stopping() const;

  // Virtual time: set the clock to `time_ms`, firing every timer due up to it (each at its own due time).
  void advance_to(int64_t time_ms);
  // Runs queued tasks (including tasks they post) until the queue is empty. Returns the number run.
  std::size_t drain();

 private:
  struct Timer {
    uint64_t period_ms;
    int64_t due_ms;
    Task task;
  };
  bool run_one_due_timer_locked(std::unique_lock<std::mutex>& lock, int64_t now);

  const bool virtual_time_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> tasks_;
  std::map<uint64_t, Timer> timers_;
  uint64_t next_timer_id_ = 1;
  int64_t virtual_now_ms_;
  bool stopping_ = false;
};

}  // namespace hepek::core
