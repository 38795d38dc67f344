// PeerProcess and SunSpecSimulator: start a peer and wait for its READY line (see peer_process.hpp).
#include "peer_process.hpp"

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace hepek::testing {

PeerProcess::PeerProcess(const std::vector<std::string>& argv) {
  if (argv.empty() || !std::filesystem::exists(argv[0]))
    throw std::runtime_error((argv.empty() ? std::string("(nothing)") : argv[0]) + " is not installed");
  process_ = std::make_unique<ChildProcess>(argv, dir_.file("peer.log"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string text = process_->log();
    const size_t at = text.find("READY ");
    const size_t end = at == std::string::npos ? at : text.find('\n', at);
    if (end != std::string::npos) {
      ready_ = text.substr(at + 6, end - at - 6);
      return;
    }
    if (!process_->running())
      throw std::runtime_error(argv[1 % argv.size()] + " exited before READY:\n" + text);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error(argv[1 % argv.size()] + " printed no READY within 30 s:\n" + process_->log());
}

namespace {
std::string peer_dir() {
  return source_dir() + "/plugins/sunspec/test/peer";
}

std::vector<std::string> simulator_argv(const SunSpecSimulatorOptions& options) {
  const std::string script = peer_dir() + "/sunspec_sim.py";
  if (!std::filesystem::exists(script)) throw std::runtime_error(script + " does not exist");
  std::vector<std::string> argv{"/usr/bin/python3", script, "--models",
                                source_dir() + "/plugins/sunspec/models"};
  argv.insert(argv.end(), {"--port", "0"});
  if (options.serial_pty)
    argv.push_back("--serial-pty");
  else
    argv.insert(argv.end(), {"--host", "127.0.0.1"});
  if (!options.device.empty()) {
    const bool bare = options.device.find('/') == std::string::npos;
    argv.insert(argv.end(),
                {"--device", bare ? SunSpecSimulator::device_path(options.device) : options.device});
  }
  if (!options.dump.empty()) argv.insert(argv.end(), {"--dump", options.dump});
  if (options.base >= 0) argv.insert(argv.end(), {"--base", std::to_string(options.base)});
  for (const std::string& fault : options.faults) argv.insert(argv.end(), {"--fault", fault});
  return argv;
}
}  // namespace

std::string SunSpecSimulator::device_path(const std::string& name) {
  return peer_dir() + "/devices/" + name;
}

SunSpecSimulator::SunSpecSimulator(const SunSpecSimulatorOptions& options)
    : options_(options), peer_(simulator_argv(options)) {}

}  // namespace hepek::testing
