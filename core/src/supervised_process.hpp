// A child process the hub keeps alive: the embedded broker, the embedded chain node.
//
// Contract: start() launches argv and returns once `ready()` is true (or throws with the last lines of the child's
// log). A supervisor thread then restarts the child with exponential backoff whenever it dies, until stop().
// running()/restarts() are safe from any thread; start/stop from one thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "child_process.hpp"

namespace hepek::core {

class SupervisedProcess {
 public:
  SupervisedProcess(std::string name, std::vector<std::string> argv, std::string log_file,
                    std::function<bool()> ready);
  ~SupervisedProcess();
  SupervisedProcess(const SupervisedProcess&) = delete;
  SupervisedProcess& operator=(const SupervisedProcess&) = delete;

  void start(int ready_timeout_ms = 10000);
  void stop();
  bool running() const { return alive_; }
  int restarts() const { return restarts_; }
  std::string log_tail(int lines = 5) const;

 private:
  bool wait_until_ready(int timeout_ms);
  void supervise();

  std::string name_;
  std::vector<std::string> argv_;
  std::string log_file_;
  std::function<bool()> ready_;
  ChildProcess child_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread supervisor_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> alive_{false};
  std::atomic<int> restarts_{0};
};

}  // namespace hepek::core
