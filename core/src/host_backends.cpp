// The back ends of the host API (host_api.cpp is the C shim over them): publish and subscribe under the
// instance's ACL, device announcements with hub-side command validation, timers, and message dispatch into
// the plugin.
//
// Contract: thread-safe where the ABI says host functions are (publish, subscribe, unsubscribe, announce,
// timers: guarded by Instance::mutex); dispatch() and handle_command() run on the hub thread and never call
// into an instance that is no longer alive. Returns hepek_status codes. A message over the JSON limits reaches no
// plugin; a /set or a plugin's own request (hepek/<id>/request/<name>) over them is answered with an error by the
// hub (on /set/result, hepek/<id>/response/<name>), so no sender waits for an answer that cannot come.
#include <fmt/format.h>

#include <algorithm>

#include "hepek/command_validation.hpp"
#include "hepek/json_limits.hpp"
#include "hepek/time.hpp"
#include "hepek/topics.hpp"
#include "hub.hpp"
#include "hub_support.hpp"
#include "log.hpp"

namespace hepek::core {

using namespace detail;

void Hub::dispatch(Instance& instance, const std::string& topic, const std::string& payload, bool retained) {
  std::vector<Subscription> matching;
  AnnouncedDevice* command_device = nullptr;
  {
    std::lock_guard lock(instance.mutex);
    if (!instance.alive) return;
    for (auto& [name, device] : instance.devices)
      if (topic == topics::set(name)) command_device = &device;  // read-only devices are answered too
    for (const auto& subscription : instance.subscriptions)
      if (topics::topic_matches(subscription.filter, topic)) matching.push_back(subscription);
  }
  if (!command_device && matching.empty()) return;
  // Before anything parses or dumps it: a payload over the JSON limits reaches neither the command handler nor
  // a subscription (a 100,000-level array overflows the stack of any recursive walk, the hub's or a plugin's).
  // Non-JSON payloads ("online", raw text) pass: the scan only counts brackets outside strings.
  if (const Status limits = json_limits::check(payload); !limits) {
    ++instance.rejected_messages;
    log_warning(instance.id(), fmt::format("dropped a{} message on {} ({} bytes, starts {:?}): {}",
                                           retained ? " retained" : "", topic, payload.size(),
                                           payload.substr(0, 32), limits.error()));
    if (command_device && instance.connection) {
      const nlohmann::json result{
          {"ok", false}, {"error", limits.error()}, {"ts", iso8601_utc(loop_.now_ms())}};
      instance.connection->publish(topics::set_result(command_device->name), result.dump(), 1, false);
    }
    // A request to the plugin's own request topic (hepek/<id>/request/<name>, the recorder's queries) expects an
    // answer on hepek/<id>/response/<name>: the plugin never sees this one, so the hub answers in its place.
    const std::string requests = topics::device(instance.id()) + "/request/";
    if (!command_device && instance.connection && topic.rfind(requests, 0) == 0 &&
        topic.size() > requests.size()) {
      const nlohmann::json response{{"ok", false}, {"error", limits.error()}};
      instance.connection->publish(
          topics::device(instance.id()) + "/response/" + topic.substr(requests.size()), response.dump(), 1,
          false);
    }
    return;
  }
  if (command_device) handle_command(instance, *command_device, payload);
  for (const auto& subscription : matching) {
    {
      std::lock_guard lock(instance.mutex);
      if (!instance.alive) return;
    }
    try {
      subscription.callback(subscription.user, topic.c_str(), payload.data(), payload.size(),
                            retained ? 1 : 0);
    } catch (...) {
      log_error(instance.id(), "a message callback threw an exception across the C ABI");
    }
  }
}

void Hub::handle_command(Instance& instance, AnnouncedDevice& device, const std::string& payload) {
  nlohmann::json result;
  const std::string problem =
      device.handler ? validate_command(device.metadata, payload)
                     : "this device is read-only: it has no command handler and accepts no commands";
  if (!problem.empty()) {
    result = {{"ok", false}, {"error", problem}};
  } else {
    const std::string normalized = nlohmann::json::parse(payload).dump();
    char error[kErrorCapacity] = {};
    int32_t status = HEPEK_ERROR;
    try {
      status = device.handler(device.user, device.name.c_str(), normalized.c_str(), error, sizeof error);
    } catch (...) {
      std::snprintf(error, sizeof error, "the device's command handler failed");
    }
    if (status == HEPEK_OK)
      result = {{"ok", true}, {"command", nlohmann::json::parse(normalized)}};
    else
      result = {{"ok", false}, {"error", error[0] ? error : "the device rejected the command"}};
  }
  result["ts"] = iso8601_utc(loop_.now_ms());
  if (!result["ok"].get<bool>())
    log_warning(instance.id(), fmt::format("rejected command on {}: {}", topics::set(device.name),
                                           result["error"].get<std::string>()));
  // The device's own error text may be any bytes: replaced where it is not UTF-8, so dump() cannot throw.
  if (instance.connection)
    instance.connection->publish(topics::set_result(device.name),
                                 result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), 1,
                                 false);
}

int32_t Hub::publish_from(Instance& instance, const std::string& topic, const std::string& payload, int qos,
                          bool retain) {
  if (!valid_publish_topic(topic) || qos < 0 || qos > 2) return HEPEK_INVALID;
  if (!may_publish(instance.acl, topic)) {
    log_warning(instance.id(),
                fmt::format("denied: publishing to \"{}\" is outside this plugin's ACL", topic));
    return HEPEK_DENIED;
  }
  if (!instance.connection) return HEPEK_UNAVAILABLE;
  return instance.connection->publish(topic, payload, qos, retain) ? HEPEK_OK : HEPEK_UNAVAILABLE;
}

int32_t Hub::subscribe_for(Instance& instance, const std::string& filter, int qos, hepek_message_fn callback,
                           void* user, uint64_t* id) {
  if (!callback || !valid_subscribe_filter(filter)) return HEPEK_INVALID;
  if (!may_subscribe(instance.acl, filter)) {
    log_warning(instance.id(),
                fmt::format("denied: subscribing to \"{}\" is outside this plugin's ACL", filter));
    return HEPEK_DENIED;
  }
  bool first = true;
  bool replayed = false;
  uint64_t new_id;
  {
    std::lock_guard lock(instance.mutex);
    new_id = next_subscription_id_++;
    for (const auto& subscription : instance.subscriptions) first = first && subscription.filter != filter;
    instance.subscriptions.push_back({new_id, filter, std::clamp(qos, 0, 2), callback, user});
    replayed = instance.subscriptions_replayed;
  }
  if (id) *id = new_id;
  // The in-process bus of a simulation has no connect to replay on: it always subscribes at once.
  if (instance.connection && ((first && replayed) || options_.simulation))
    instance.connection->subscribe(filter, qos);
  return HEPEK_OK;
}

int32_t Hub::unsubscribe_for(Instance& instance, uint64_t id) {
  std::string filter;
  bool last = true;
  {
    std::lock_guard lock(instance.mutex);
    auto& list = instance.subscriptions;
    auto it = std::find_if(list.begin(), list.end(), [&](const Subscription& s) { return s.id == id; });
    if (it == list.end()) return HEPEK_INVALID;
    filter = it->filter;
    list.erase(it);
    for (const auto& subscription : list) last = last && subscription.filter != filter;
  }
  if (last && instance.connection) instance.connection->unsubscribe(filter);
  return HEPEK_OK;
}

int32_t Hub::announce_for(Instance& instance, const std::string& device, const std::string& metadata,
                          hepek_device_command_fn handler, void* user) {
  if (device.empty() || !valid_publish_topic(topics::config(device)) || device.find('/') != std::string::npos)
    return HEPEK_INVALID;
  if (!may_publish(instance.acl, topics::config(device))) {
    log_warning(instance.id(), fmt::format("denied: device \"{}\" is outside this plugin's topics", device));
    return HEPEK_DENIED;
  }
  auto parsed = nlohmann::json::parse(metadata, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    log_error(instance.id(), fmt::format("device \"{}\": its metadata is not a JSON object", device));
    return HEPEK_INVALID;
  }
  // The instance's last will covers hepek/<id>/availability only (one will per connection): a device announced
  // under another name (hepek/<id>-battery) is available only while that is online too. Said in Home
  // Assistant's discovery terms, unless the plugin said something itself.
  if (device != instance.id() && !parsed.contains("availability")) {
    parsed["availability"] =
        nlohmann::json::array({nlohmann::json{{"topic", topics::availability(instance.id())}},
                               nlohmann::json{{"topic", topics::availability(device)}}});
    parsed["availability_mode"] = "all";
  }
  {
    std::lock_guard lock(instance.mutex);
    instance.devices[device] = AnnouncedDevice{device, parsed, handler, user};
  }
  // Subscribe before the config goes out: whoever sees the config may send a /set at once, and the broker
  // handles one connection's SUBSCRIBE and PUBLISH in order, so that /set is never lost. Every announced
  // device's /set is answered, a read-only one's with an error (the topic contract).
  if (instance.connection) instance.connection->subscribe(topics::set(device), 1);
  return publish_from(instance, topics::config(device), parsed.dump(), 1, true);
}

int32_t Hub::add_timer_for(Instance& instance, uint64_t period_ms, hepek_timer_fn callback, void* user,
                           uint64_t* id) {
  if (!callback || period_ms == 0) return HEPEK_INVALID;
  Instance* target = &instance;
  const uint64_t timer = loop_.add_timer(period_ms, [target, callback, user] {
    {
      std::lock_guard lock(target->mutex);
      if (!target->alive) return;
    }
    try {
      callback(user);
    } catch (...) {
      log_error(target->id(), "a timer callback threw an exception across the C ABI");
    }
  });
  {
    std::lock_guard lock(instance.mutex);
    instance.timers.push_back(timer);
  }
  if (id) *id = timer;
  return HEPEK_OK;
}

int32_t Hub::cancel_timer_for(Instance& instance, uint64_t id) {
  std::lock_guard lock(instance.mutex);
  auto& timers = instance.timers;
  auto it = std::find(timers.begin(), timers.end(), id);
  if (it == timers.end()) return HEPEK_INVALID;
  loop_.cancel_timer(id);
  timers.erase(it);
  return HEPEK_OK;
}

}  // namespace hepek::core
