// A supervised child process (the broker, later the chain node): spawn with argv, stop with SIGTERM then SIGKILL.
//
// Contract: not thread-safe by itself; the owner (a supervisor) serialises calls. The child gets its own process
// group and dies with the hub (PR_SET_PDEATHSIG), so a killed hub never leaves a broker behind.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace hepek::core {

class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Starts argv[0] (searched in PATH); stdout/stderr go to log_file (appended) when given.
  void start(const std::vector<std::string>& argv, const std::string& log_file = {});
  bool running();
  // Non-blocking check; returns true and the exit description once the child has exited.
  bool exited(std::string* how = nullptr);
  void stop(int grace_ms = 3000);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// Path of an executable found in PATH, or empty.
std::string find_in_path(const std::string& name);

}  // namespace hepek::core
