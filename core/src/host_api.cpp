// The host API table handed to every plugin instance: thin C shims over the Hub.
#include <fmt/format.h>

#include <cstring>

#include "hub.hpp"
#include "log.hpp"

namespace hepek::core {

namespace {

Hub& hub_of(hepek_host* host) {
  return *host->hub;
}
Instance& instance_of(hepek_host* host) {
  return *host->instance;
}

const char* api_instance_id(hepek_host* host) {
  return instance_of(host).id().c_str();
}

void api_log(hepek_host* host, int32_t level, const char* message) {
  const Level mapped = level <= HEPEK_LOG_DEBUG     ? Level::debug
                       : level == HEPEK_LOG_INFO    ? Level::info
                       : level == HEPEK_LOG_WARNING ? Level::warning
                                                    : Level::error;
  Logger::instance().log(mapped, instance_of(host).id(), message ? message : "");
}

int32_t api_publish(hepek_host* host, const char* topic, const void* payload, size_t length, int32_t qos,
                    int32_t retain) {
  if (!topic || (!payload && length > 0)) return HEPEK_INVALID;
  return hub_of(host).publish_from(instance_of(host), topic,
                                   std::string(static_cast<const char*>(payload ? payload : ""), length), qos,
                                   retain != 0);
}

int32_t api_subscribe(hepek_host* host, const char* filter, int32_t qos, hepek_message_fn callback,
                      void* user, uint64_t* subscription) {
  if (!filter) return HEPEK_INVALID;
  return hub_of(host).subscribe_for(instance_of(host), filter, qos, callback, user, subscription);
}

int32_t api_unsubscribe(hepek_host* host, uint64_t subscription) {
  return hub_of(host).unsubscribe_for(instance_of(host), subscription);
}

int32_t api_announce_device(hepek_host* host, const char* device, const char* metadata_json,
                            hepek_device_command_fn handler, void* user) {
  if (!device || !metadata_json) return HEPEK_INVALID;
  return hub_of(host).announce_for(instance_of(host), device, metadata_json, handler, user);
}

int64_t api_now_ms(hepek_host* host) {
  return hub_of(host).loop().now_ms();
}

int32_t api_add_timer(hepek_host* host, uint64_t period_ms, hepek_timer_fn callback, void* user,
                      uint64_t* timer) {
  return hub_of(host).add_timer_for(instance_of(host), period_ms, callback, user, timer);
}

int32_t api_cancel_timer(hepek_host* host, uint64_t timer) {
  return hub_of(host).cancel_timer_for(instance_of(host), timer);
}

const char* api_data_dir(hepek_host* host) {
  return instance_of(host).data_dir.c_str();
}

const char* api_timezone(hepek_host* host) {
  return hub_of(host).config().timezone.c_str();
}

int32_t api_key_address(hepek_host* host, char* address, size_t capacity) {
  const std::string value = hub_of(host).key_store().address();
  if (value.empty()) return HEPEK_UNAVAILABLE;
  if (!address || capacity <= value.size()) return HEPEK_INVALID;
  std::memcpy(address, value.c_str(), value.size() + 1);
  return HEPEK_OK;
}

int32_t api_sign_digest(hepek_host* host, const char* purpose, const uint8_t* digest32,
                        uint8_t* signature65) {
  Instance& instance = instance_of(host);
  if (!purpose || !digest32 || !signature65) return HEPEK_INVALID;
  const auto& grants = instance.config.grants;
  if (std::find(grants.begin(), grants.end(), purpose) == grants.end()) {
    log_warning(instance.id(),
                fmt::format("denied: signing for purpose \"{}\" was not granted in config (grants = "
                            "[\"{}\", ...] in its [[plugin]] table)",
                            purpose, purpose));
    return HEPEK_DENIED;
  }
  return hub_of(host).key_store().sign(digest32, signature65) ? HEPEK_OK : HEPEK_UNAVAILABLE;
}

int32_t api_is_simulation(hepek_host* host) {
  return hub_of(host).options().simulation ? 1 : 0;
}

const char* api_chain_endpoint(hepek_host* host) {
  thread_local std::string endpoint;
  endpoint = hub_of(host).chain_endpoint();
  return endpoint.c_str();
}

uint64_t api_random_seed(hepek_host* host) {
  return instance_of(host).seed;
}

const char* api_hub_settings_json(hepek_host* host) {
  const HubConfig& config = hub_of(host).config();
  thread_local std::string text;
  text = nlohmann::json{{"name", config.name},         {"timezone", config.timezone},
                        {"latitude", config.latitude}, {"longitude", config.longitude},
                        {"location", config.location}, {"step_s", config.step_s}}
             .dump();
  return text.c_str();
}

void api_fail(hepek_host* host, const char* reason) {
  hub_of(host).fail_instance(instance_of(host), reason ? reason : "no reason given");
}

}  // namespace

const hepek_host_api* Hub::host_api() {
  static const hepek_host_api api = [] {
    hepek_host_api table{};
    table.struct_size = sizeof(hepek_host_api);
    table.abi_major = HEPEK_ABI_MAJOR;
    table.abi_minor = HEPEK_ABI_MINOR;
    table.instance_id = api_instance_id;
    table.log = api_log;
    table.publish = api_publish;
    table.subscribe = api_subscribe;
    table.unsubscribe = api_unsubscribe;
    table.announce_device = api_announce_device;
    table.now_ms = api_now_ms;
    table.add_timer = api_add_timer;
    table.cancel_timer = api_cancel_timer;
    table.data_dir = api_data_dir;
    table.timezone = api_timezone;
    table.key_address = api_key_address;
    table.sign_digest = api_sign_digest;
    table.is_simulation = api_is_simulation;
    table.chain_endpoint = api_chain_endpoint;
    table.random_seed = api_random_seed;
    table.hub_settings_json = api_hub_settings_json;
    table.fail = api_fail;
    return table;
  }();
  return &api;
}

}  // namespace hepek::core
