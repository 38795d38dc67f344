// Bus access control: which topics an account may publish to and subscribe to.
//
// Contract: one AccountAcl per broker account. The same object is enforced by the hub before it sends (so a plugin
// gets HEPEK_DENIED at once), by the in-process bus in simulation, and rendered into Mosquitto's acl_file for the
// embedded broker, so a misbehaving plugin cannot bypass it with its own MQTT client. Pure functions.
#pragma once

#include <string>
#include <vector>

namespace hepek::core {

struct AccountAcl {
  std::string username;
  std::vector<std::string> publish;    // topic filters it may publish to
  std::vector<std::string> subscribe;  // topic filters it may subscribe to / receive
};

bool may_publish(const AccountAcl& acl, const std::string& topic);
// A subscription filter is allowed when every topic it can match is readable.
bool may_subscribe(const AccountAcl& acl, const std::string& filter);
// MQTT topic validity for publishing: non-empty, no wildcards, no NUL.
bool valid_publish_topic(const std::string& topic);
bool valid_subscribe_filter(const std::string& filter);

// The default ACL of a plugin instance: its own device topics and what its descriptor declares (after {id} and
// {config-key} substitution).
AccountAcl plugin_acl(const std::string& username, const std::string& instance_id,
                      const std::vector<std::string>& extra_publish,
                      const std::vector<std::string>& extra_subscribe);

std::string render_mosquitto_acl(const std::vector<AccountAcl>& accounts);

}  // namespace hepek::core
