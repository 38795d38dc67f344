// The embedded broker's client-id plugin: a Mosquitto 2.0 plugin (plugin API v5) that refuses a connection whose
// client id does not belong to its account (core/src/client_id_rule.hpp), so no account can take over (disconnect)
// the hub's, a plugin's or another account's session by reusing its client id.
//
// Contract: loaded by the hub's generated mosquitto.conf as `plugin <path>` with `plugin_opt_accounts <every
// username, comma-separated>`; without that option (or with an empty list) init fails and the broker does not
// start. On MOSQ_EVT_BASIC_AUTH a client id that belongs to the connecting username returns
// MOSQ_ERR_PLUGIN_DEFER: Mosquitto registers its password_file check after the plugins, so the password (and then
// the acl_file) still decide; any other id, or no username, is MOSQ_ERR_AUTH (CONNACK "not authorised") and is
// logged at notice level with a short prefix of the id. Called on the broker's single thread; nothing throws
// across the C boundary (an allocation failure at init is MOSQ_ERR_NOMEM).
//
// Built without sanitizers (core/broker-plugin/CMakeLists.txt): an ASan-instrumented module cannot be loaded into
// the uninstrumented mosquitto binary.
#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>

#include <new>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "client_id_rule.hpp"

namespace {

struct PluginState {
  mosquitto_plugin_id_t* identifier = nullptr;
  std::vector<std::string> accounts;
};

constexpr int kLoggedPrefix = 64;  // bytes of a refused client id quoted in the broker log

int on_basic_auth(int, void* event_data, void* userdata) {
  const auto* event = static_cast<const mosquitto_evt_basic_auth*>(event_data);
  const auto* state = static_cast<const PluginState*>(userdata);
  const char* username = event->username;
  const char* client_id = mosquitto_client_id(event->client);
  if (username && client_id && hepek::core::client_id_allowed(username, client_id, state->accounts))
    return MOSQ_ERR_PLUGIN_DEFER;  // the password file decides
  const std::string_view owner =
      client_id ? hepek::core::client_id_owner(client_id, state->accounts) : std::string_view();
  mosquitto_log_printf(
      MOSQ_LOG_NOTICE,
      "hepek client-id plugin: refused client id \"%.*s\" for account \"%.*s\": it belongs to "
      "%s%.*s%s (an account may use only \"<username>\" or \"<username>-...\")",
      kLoggedPrefix, client_id ? client_id : "", kLoggedPrefix, username ? username : "",
      owner.empty() ? "no account" : "account \"", static_cast<int>(owner.size()), owner.data(),
      owner.empty() ? "" : "\"");
  return MOSQ_ERR_AUTH;
}

}  // namespace

// The module is built with hidden visibility: only Mosquitto's three entry points are exported.
#define HEPEK_BROKER_EXPORT __attribute__((visibility("default")))

extern "C" {

HEPEK_BROKER_EXPORT int mosquitto_plugin_version(int supported_version_count, const int* supported_versions) {
  for (int i = 0; i < supported_version_count; ++i)
    if (supported_versions[i] == MOSQ_PLUGIN_VERSION) return MOSQ_PLUGIN_VERSION;
  return -1;
}

HEPEK_BROKER_EXPORT int mosquitto_plugin_init(mosquitto_plugin_id_t* identifier, void** userdata,
                                              mosquitto_opt* options, int option_count) {
  auto* state = new (std::nothrow) PluginState;
  if (!state) return MOSQ_ERR_NOMEM;
  try {
    state->identifier = identifier;
    for (int i = 0; i < option_count; ++i) {
      if (!options[i].key || std::string_view(options[i].key) != "accounts" || !options[i].value) continue;
      std::istringstream list(options[i].value);
      for (std::string account; std::getline(list, account, ',');)
        if (!account.empty()) state->accounts.push_back(account);
    }
  } catch (const std::bad_alloc&) {
    delete state;
    return MOSQ_ERR_NOMEM;
  }
  if (state->accounts.empty()) {
    mosquitto_log_printf(
        MOSQ_LOG_ERR,
        "hepek client-id plugin: plugin_opt_accounts (the broker's usernames) is missing or empty");
    delete state;
    return MOSQ_ERR_INVAL;
  }
  const int rc = mosquitto_callback_register(identifier, MOSQ_EVT_BASIC_AUTH, on_basic_auth, nullptr, state);
  if (rc != MOSQ_ERR_SUCCESS) {
    delete state;
    return rc;
  }
  *userdata = state;
  mosquitto_log_printf(MOSQ_LOG_NOTICE, "hepek client-id plugin: client ids bound to %d accounts",
                       static_cast<int>(state->accounts.size()));
  return MOSQ_ERR_SUCCESS;
}

HEPEK_BROKER_EXPORT int mosquitto_plugin_cleanup(void* userdata, mosquitto_opt*, int) {
  auto* state = static_cast<PluginState*>(userdata);
  if (!state) return MOSQ_ERR_SUCCESS;
  mosquitto_callback_unregister(state->identifier, MOSQ_EVT_BASIC_AUTH, on_basic_auth, nullptr);
  delete state;
  return MOSQ_ERR_SUCCESS;
}

}  // extern "C"
