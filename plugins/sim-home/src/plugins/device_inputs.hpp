// Tracks the per-step energies other devices publish (their state's "interval" object) and the relay state.
//
// Contract: remember(state) stores the interval's integer energies under its start_ms; energy(start, key)
// returns what was published for exactly that step, and latest(key) the most recent one (live mode, where
// timers of different devices are not aligned). A relay state {"state":"off"} means islanded; anything else,
// or none yet, is connected. Keeps at most `capacity` steps. Not thread-safe (callbacks run on the hub's
// event thread).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "energy.hpp"

namespace hepek::sim {

class DeviceInputs {
 public:
  // Returns false when the state has no well-formed "interval" object.
  bool remember(const nlohmann::json& state) {
    const auto interval = state.find("interval");
    if (interval == state.end() || !interval->is_object() || !interval->contains("start_ms")) return false;
    const auto& start = (*interval)["start_ms"];
    if (!start.is_number_integer()) return false;
    Entry& entry = steps_[start.get<std::int64_t>()];
    for (const auto& [key, value] : interval->items())
      if (value.is_number_integer()) entry[key] = value.get<std::int64_t>();
    latest_start_ = start.get<std::int64_t>();
    while (steps_.size() > kCapacity) steps_.erase(steps_.begin());
    return true;
  }
  std::optional<MilliWattHours> energy(std::int64_t start_ms, const std::string& key) const {
    const auto step = steps_.find(start_ms);
    if (step == steps_.end()) return std::nullopt;
    const auto value = step->second.find(key);
    if (value == step->second.end()) return std::nullopt;
    return value->second;
  }
  std::optional<MilliWattHours> latest(const std::string& key) const {
    return latest_start_ ? energy(*latest_start_, key) : std::nullopt;
  }
  std::optional<std::int64_t> latest_start() const { return latest_start_; }
  void forget_through(std::int64_t start_ms) { steps_.erase(steps_.begin(), steps_.upper_bound(start_ms)); }

 private:
  static constexpr std::size_t kCapacity = 64;
  using Entry = std::map<std::string, std::int64_t>;
  std::map<std::int64_t, Entry> steps_;
  std::optional<std::int64_t> latest_start_;
};

// "off" → false; anything else → true.
inline bool relay_connected(const nlohmann::json& state) {
  return !(state.contains("state") && state["state"] == "off");
}

}  // namespace hepek::sim
