#include "event_loop.hpp"

#include <chrono>
#include <exception>
#include <limits>
#include <string>

#include "log.hpp"

namespace hepek::core {

namespace {
// A task that throws fails alone: logged, and the loop goes on (an exception escaping run() would end the hub, so
// one malformed message could take it down).
void run_guarded(const EventLoop::Task& task) {
  try {
    task();
  } catch (const std::exception& error) {
    log_error("hub", std::string("an event-loop task failed: ") + error.what());
  } catch (...) {
    log_error("hub", "an event-loop task failed with an unknown exception");
  }
}

int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

EventLoop::EventLoop(bool virtual_time, int64_t start_ms)
    : virtual_time_(virtual_time), virtual_now_ms_(start_ms) {}

int64_t EventLoop::now_ms() const {
  if (!virtual_time_) return system_now_ms();
  std::lock_guard lock(mutex_);
  return virtual_now_ms_;
}

void EventLoop::post(Task task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
}

uint64_t EventLoop::add_timer(uint64_t period_ms, Task task) {
  if (period_ms == 0) period_ms = 1;
  uint64_t id;
  {
    std::lock_guard lock(mutex_);
    id = next_timer_id_++;
    const int64_t now = virtual_time_ ? virtual_now_ms_ : system_now_ms();
    timers_.emplace(id, Timer{period_ms, now + static_cast<int64_t>(period_ms), std::move(task)});
  }
  wake_.notify_one();
  return id;
}

void EventLoop::cancel_timer(uint64_t id) {
  std::lock_guard lock(mutex_);
  timers_.erase(id);
}

void EventLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

bool EventLoop::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

// Runs the earliest timer due at or before `now` (ties by id). Unlocks while the task runs.
bool EventLoop::run_one_due_timer_locked(std::unique_lock<std::mutex>& lock, int64_t now) {
  auto earliest = timers_.end();
  for (auto it = timers_.begin(); it != timers_.end(); ++it)
    if (it->second.due_ms <= now &&
        (earliest == timers_.end() || it->second.due_ms < earliest->second.due_ms))
      earliest = it;
  if (earliest == timers_.end()) return false;
  Timer& timer = earliest->second;
  const uint64_t id = earliest->first;
  const int64_t due = timer.due_ms;
  timer.due_ms += static_cast<int64_t>(timer.period_ms);
  if (!virtual_time_ && timer.due_ms <= now)
    timer.due_ms = now + static_cast<int64_t>(timer.period_ms);  // no bursts
  Task task = timer.task;  // copy: the timer may be cancelled while it runs
  if (virtual_time_) virtual_now_ms_ = due;
  lock.unlock();
  run_guarded(task);
  lock.lock();
  (void)id;
  return true;
}

void EventLoop::run() {
  if (virtual_time_) return;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (!tasks_.empty()) {
      Task task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      run_guarded(task);
      lock.lock();
      continue;
    }
    const int64_t now = system_now_ms();
    if (run_one_due_timer_locked(lock, now)) continue;
    int64_t next_due = std::numeric_limits<int64_t>::max();
    for (const auto& [id, timer] : timers_) next_due = std::min(next_due, timer.due_ms);
    if (next_due == std::numeric_limits<int64_t>::max())
      wake_.wait(lock);
    else
      wake_.wait_for(lock, std::chrono::milliseconds(std::max<int64_t>(1, next_due - now)));
  }
}

void EventLoop::advance_to(int64_t time_ms) {
  std::unique_lock lock(mutex_);
  while (run_one_due_timer_locked(lock, time_ms)) {
    // Tasks posted by a timer run before the next timer, as they would in real time.
    while (!tasks_.empty()) {
      Task task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      run_guarded(task);
      lock.lock();
    }
  }
  virtual_now_ms_ = time_ms;
}

std::size_t EventLoop::drain() {
  std::size_t count = 0;
  std::unique_lock lock(mutex_);
  while (!tasks_.empty()) {
    Task task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    run_guarded(task);
    ++count;
    lock.lock();
  }
  return count;
}

}  // namespace hepek::core
