// Which MQTT client ids an account of the embedded broker may use, and the ids the hub gives its own connections.
//
// Contract: a client id belongs to the account with the LONGEST username U among the broker's accounts such that
// the id is U itself or starts with "U-". An account may connect only with an id that belongs to it: observer may
// hold "observer-ha", "observer-dashboard" and "observer-cli-42" at once (concurrent sessions of one account), but
// never "hub-bridge-hepek" (the hub's) or "plugin-relay" (a plugin's), and plugin-sim cannot take "plugin-sim-pv",
// which belongs to the longer account plugin-sim-pv. Enforced in the broker by the client-id plugin
// (core/broker-plugin/); the hub names its connections with session_client_id(). Why ids are bound to accounts at
// all: MQTT lets a new connection with an existing client id take over (disconnect) the old one.
// Pure functions: thread-safe; the checks neither allocate nor throw.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hepek::core {

// True when `client_id` is `username` itself or starts with "<username>-" (username non-empty).
bool client_id_under(std::string_view username, std::string_view client_id);

// The account among `accounts` that owns `client_id`, or an empty view when none does.
std::string_view client_id_owner(std::string_view client_id, const std::vector<std::string>& accounts);

// True when `username` may connect with `client_id`: the id is under the username and no longer account in
// `accounts` owns it. An empty username (anonymous) may use no id.
bool client_id_allowed(std::string_view username, std::string_view client_id,
                       const std::vector<std::string>& accounts);

// The client id of the hub's connection `session` (a name unique among the hub's connections: "bridge-<hub name>",
// "plugin-<instance id>", "cli-<pid>") logged in as `username`: the session itself when it equals the username
// (a plugin instance on the embedded broker), otherwise "<username>-<session>"; "hepek-<session>" without a
// username (an external broker without login).
std::string session_client_id(std::string_view username, std::string_view session);

}  // namespace hepek::core
