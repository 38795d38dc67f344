// Small helpers shared by the files that implement the Hub (hub.cpp, instance_manager.cpp, bus_services.cpp,
// host_backends.cpp, cli_context.cpp). Internal to the core; stateless, thread-safe.
#pragma once

#include <sys/stat.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "bus_connection.hpp"

namespace hepek::core::detail {

inline constexpr const char* kHubAccount = "hub";
inline constexpr std::size_t kErrorCapacity = 1024;

// Creates `path` (and parents) with mode 0700; throws std::runtime_error naming it when that fails.
inline void make_private_directory(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (!std::filesystem::is_directory(path)) throw std::runtime_error("cannot create the directory " + path);
  chmod(path.c_str(), 0700);
}

inline std::string plugin_account(const std::string& instance_id) {
  return "plugin-" + instance_id;
}

// The instance's random seed from the run's seed and its id: FNV-1a over the id, then a splitmix64
// finaliser, so it is stable across platforms and runs.
inline uint64_t mix_seed(uint64_t seed, const std::string& id) {
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char ch : id) hash = (hash ^ ch) * 1099511628211ull;
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * (hash | 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

inline void deep_merge(nlohmann::json& into, const nlohmann::json& from) {
  for (const auto& [key, value] : from.items()) {
    if (value.is_object() && into.contains(key) && into[key].is_object())
      deep_merge(into[key], value);
    else
      into[key] = value;
  }
}

inline bool wait_connected(const BusConnection& connection, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!connection.connected()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace hepek::core::detail
