// A real anvil node for integration tests: node_modules/.bin/anvil on a free loopback port, stopped on
// destruction.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace hepek::ergon::testing {

class AnvilProcess {
 public:
  // genesis_timestamp: unix seconds of the genesis block (for simulations starting in the past).
  explicit AnvilProcess(std::optional<std::uint64_t> genesis_timestamp = std::nullopt);
  ~AnvilProcess();
  AnvilProcess(const AnvilProcess&) = delete;
  AnvilProcess& operator=(const AnvilProcess&) = delete;
  const std::string& url() const { return url_; }
  int port() const { return port_; }
  static bool installed();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string url_;
};

}  // namespace hepek::ergon::testing
