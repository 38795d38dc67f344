// The HEPEK topic contract (see sdk/docs/topics.md for the prose; this header is the code form).
//
// Contract: every topic a plugin or external tool uses is built here, so a change of the contract is a change of
// this file and of kTopicContractVersion. Header-only, no state.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace hepek::topics {

inline constexpr int kTopicContractVersion = 2;  // 2: device interfaces, integer payload types
inline constexpr std::string_view kRoot = "hepek";

// Device topics: hepek/<device>/{config,state,set,set/result,availability}.
inline std::string device(std::string_view name) {
  return std::string(kRoot) + "/" + std::string(name);
}
inline std::string config(std::string_view name) {
  return device(name) + "/config";
}
inline std::string state(std::string_view name) {
  return device(name) + "/state";
}
inline std::string set(std::string_view name) {
  return device(name) + "/set";
}
inline std::string set_result(std::string_view name) {
  return device(name) + "/set/result";
}
inline std::string availability(std::string_view name) {
  return device(name) + "/availability";
}

// The hub itself.
inline constexpr std::string_view kBridgeState = "hepek/bridge/state";  // online/offline, retained, last will
inline constexpr std::string_view kBridgeInfo = "hepek/bridge/info";    // retained JSON
inline constexpr std::string_view kBridgeLog = "hepek/bridge/log";
inline std::string bridge_request(std::string_view name) {
  return "hepek/bridge/request/" + std::string(name);
}
inline std::string bridge_response(std::string_view name) {
  return "hepek/bridge/response/" + std::string(name);
}
// The bridge requests the hub answers (also listed in hepek/bridge/info as "requests"); any other name is answered
// with an error.
inline constexpr std::array<std::string_view, 3> kBridgeRequests{"plugins", "health", "info"};

// Shared signals.
inline constexpr std::string_view kTariffPrices = "hepek/tariff/prices";  // retained
inline constexpr std::string_view kPlan = "hepek/plan";                   // retained
inline constexpr std::string_view kWallet = "hepek/wallet";               // retained

// Operator link.
inline std::string operator_broadcast(std::string_view signal) {
  return "serenity/broadcast/" + std::string(signal);
}
inline std::string operator_device(std::string_view device_id, std::string_view topic) {
  return "serenity/" + std::string(device_id) + "/" + std::string(topic);
}

inline constexpr std::string_view kOnline = "online";
inline constexpr std::string_view kOffline = "offline";

// MQTT topic filter matching (+ one level, # the rest, $-topics not matched by wildcards at the first level).
inline bool topic_matches(std::string_view filter, std::string_view topic) {
  if (!topic.empty() && topic.front() == '$' && !filter.empty() &&
      (filter.front() == '+' || filter.front() == '#'))
    return false;
  std::size_t f = 0, t = 0;
  while (true) {
    const std::size_t f_end = filter.find('/', f);
    const std::size_t t_end = topic.find('/', t);
    const std::string_view f_level =
        filter.substr(f, f_end == std::string_view::npos ? std::string_view::npos : f_end - f);
    if (f_level == "#") return true;
    if (t > topic.size()) return false;
    const std::string_view t_level =
        topic.substr(t, t_end == std::string_view::npos ? std::string_view::npos : t_end - t);
    if (f_level != "+" && f_level != t_level) return false;
    const bool f_last = f_end == std::string_view::npos;
    const bool t_last = t_end == std::string_view::npos;
    if (f_last && t_last) return true;
    if (f_last) return false;
    if (t_last) {
      // "a/#" matches "a": the remaining filter must be exactly "#".
      return filter.substr(f_end + 1) == "#";
    }
    f = f_end + 1;
    t = t_end + 1;
  }
}

}  // namespace hepek::topics
