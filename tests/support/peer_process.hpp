// Test peers in their own process that announce where they listen: PeerProcess runs a command and waits for
// the line `READY <where>` on its stdout (a port, a pty path); SunSpecSimulator starts the pymodbus SunSpec
// device simulator (plugins/sunspec/test/peer/sunspec_sim.py, /usr/bin/python3) that way, on TCP (a free
// port) or Modbus RTU on a pseudo-terminal, serving a device JSON or a register dump with optional faults.
//
// Errors: the constructors throw std::runtime_error (with the peer's log) when the program is missing, or the
// peer exits or prints no READY line within 30 s.
// Thread-safety: belongs to the thread that made it; stopped (SIGTERM) in its destructor.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace hepek::testing {

class PeerProcess {
 public:
  // argv[0] must be an absolute path (e.g. /usr/bin/python3).
  explicit PeerProcess(const std::vector<std::string>& argv);
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  const std::string& ready() const { return ready_; }  // the word after READY
  int port() const { return std::stoi(ready_); }       // when that is a port
  std::string log() const { return process_->log(); }
  ChildProcess& process() { return *process_; }

 private:
  TempDir dir_;
  std::unique_ptr<ChildProcess> process_;
  std::string ready_;
};

struct SunSpecSimulatorOptions {
  std::string device;               // a device JSON; a bare name: under plugins/sunspec/test/peer/devices/
  std::string dump;                 // or a register dump (a path)
  std::vector<std::string> faults;  // --fault specs (see the simulator's README)
  bool serial_pty = false;          // Modbus RTU on a new pty instead of TCP
  int base = -1;                    // --base N (relocate the marker), -1: as the device says
};

class SunSpecSimulator {
 public:
  explicit SunSpecSimulator(const SunSpecSimulatorOptions& options);

  int port() const { return options_.serial_pty ? 0 : peer_.port(); }           // TCP
  std::string pty() const { return options_.serial_pty ? peer_.ready() : ""; }  // RTU
  std::string log() const { return peer_.log(); }

  // The path of a shipped device JSON (plugins/sunspec/test/peer/devices/<name>).
  static std::string device_path(const std::string& name);

 private:
  SunSpecSimulatorOptions options_;
  PeerProcess peer_;
};

}  // namespace hepek::testing
