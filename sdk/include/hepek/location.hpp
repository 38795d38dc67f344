// The hub's effective location for the sun position and PV forecasts. `[hub] location = "config"` (the
// default): [hub] latitude/longitude. `[hub] location = "gps"`: the first device (in name order) that
// implements the `location` interface, is not offline and whose last state has a 2D or 3D fix with a latitude
// and longitude in range; [hub] latitude/longitude until there is one (and again when it loses its fix).
//
//   hepek::LocationFollower location(host());   // in start(): reads hub_settings(), subscribes when "gps"
//   const hepek::HubLocation here = location.current();   // {latitude, longitude, source}
//
// LocationSelector is the pure part (fed retained configs, states and availability by device name); the
// follower feeds it from the bus: it subscribes to hepek/+/config and, for each device whose config declares
// `location`, to its state and availability. Every consumer that follows the same bus computes the same
// location, so no hub topic is needed.
//
// Contract: not thread-safe; feed and query it on the hub's event thread (where bus handlers run). Bad input
// (malformed JSON, a state without a fix, NaN or out-of-range coordinates) only means "no fix from that
// device", never an exception.
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "host.hpp"
#include "interfaces.hpp"
#include "topics.hpp"

namespace hepek {

struct HubLocation {
  double latitude = 0;
  double longitude = 0;
  std::string source;  // "config", or the name of the device the position comes from
  bool operator==(const HubLocation&) const = default;
};

// A location device's state that gives a position: mode "2d"/"3d" and finite latitude/longitude in range.
inline std::optional<HubLocation> position_of(const std::string& device, const nlohmann::json& state) {
  if (!state.is_object()) return std::nullopt;
  const auto mode = state.find("mode");
  if (mode == state.end() || !mode->is_string() || (*mode != "2d" && *mode != "3d")) return std::nullopt;
  const auto lat = state.find("latitude"), lon = state.find("longitude");
  if (lat == state.end() || lon == state.end() || !lat->is_number() || !lon->is_number()) return std::nullopt;
  const double latitude = lat->get<double>(), longitude = lon->get<double>();
  if (!std::isfinite(latitude) || !std::isfinite(longitude) || std::abs(latitude) > 90 ||
      std::abs(longitude) > 180)
    return std::nullopt;
  return HubLocation{latitude, longitude, device};
}

class LocationSelector {
 public:
  explicit LocationSelector(HubLocation fallback) : fallback_(std::move(fallback)) {}

  void on_config(const std::string& device, std::string_view payload) {
    directory_.on_config(device, payload);
  }
  void on_state(const std::string& device, std::string_view payload) {
    const auto json = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
    if (auto position = position_of(device, json))
      positions_[device] = *position;
    else
      positions_.erase(device);
  }
  void on_availability(const std::string& device, std::string_view payload) {
    if (payload == topics::kOffline)
      offline_.insert(device);
    else
      offline_.erase(device);
  }

  // Whether `device`'s config declares the location interface (the follower subscribes to those).
  bool is_location_device(const std::string& device) const {
    const nlohmann::json* config = directory_.config(device);
    return config && interfaces::check_implements(*config, interfaces::kLocation).ok();
  }

  HubLocation current() const {
    for (const auto& device : directory_.find(interfaces::kLocation)) {
      if (offline_.count(device)) continue;
      const auto position = positions_.find(device);
      if (position != positions_.end()) return position->second;
    }
    return fallback_;
  }

 private:
  HubLocation fallback_;
  interfaces::DeviceDirectory directory_;
  std::map<std::string, HubLocation> positions_;  // devices whose last state has a fix
  std::set<std::string> offline_;
};

class LocationFollower {
 public:
  // Reads [hub] latitude, longitude and location from the host; subscribes when location is "gps". Throws
  // (HostError, std::runtime_error) when the host cannot do either: call it from a constructor or start().
  explicit LocationFollower(Host& host) : host_(host), selector_(fallback(host)) {
    const auto settings = host.hub_settings();
    follows_gps_ = settings.value("location", std::string("config")) == "gps";
    if (!follows_gps_) return;
    host_.subscribe(topics::config("+"), [this](const Message& message) {
      const std::string device = device_of(message.topic);
      selector_.on_config(device, message.payload);
      if (selector_.is_location_device(device) && followed_.insert(device).second) {
        host_.subscribe(topics::state(device),
                        [this, device](const Message& m) { selector_.on_state(device, m.payload); });
        host_.subscribe(topics::availability(device),
                        [this, device](const Message& m) { selector_.on_availability(device, m.payload); });
      }
    });
  }

  bool follows_gps() const { return follows_gps_; }
  HubLocation current() const { return selector_.current(); }

 private:
  static HubLocation fallback(Host& host) {
    const auto settings = host.hub_settings();
    return {settings.at("latitude").get<double>(), settings.at("longitude").get<double>(), "config"};
  }
  // "hepek/<device>/config" -> "<device>"
  static std::string device_of(std::string_view topic) {
    topic.remove_prefix(std::min(topic.size(), topics::kRoot.size() + 1));
    return std::string(topic.substr(0, topic.find('/')));
  }

  Host& host_;
  LocationSelector selector_;
  bool follows_gps_ = false;
  std::set<std::string> followed_;
};

}  // namespace hepek
