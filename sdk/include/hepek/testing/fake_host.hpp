// A host without a hub, for plugin unit tests (installed with the SDK; header-only).
//
//   #include <hepek/testing/fake_host.hpp>
//   extern "C" const hepek_plugin* hepek_plugin_entry(uint32_t, uint32_t);  // from HEPEK_PLUGIN, linked in
//
//   hepek::testing::FakeHost host("meter");                            // instance id "meter"
//   auto plugin = hepek::testing::PluginUnderTest::from_entry(&hepek_plugin_entry);
//   hepek::testing::FakeInstance meter(plugin, host, {{"interval_ms", 500}});  // defaults filled, checked
//   meter.start();
//   host.advance(1000);                                                 // timers fire on the manual clock
//   EXPECT_EQ(host.last_state("meter")->at("power"), 230.0);
//   EXPECT_EQ(host.command("meter", R"({"interval_ms":5})")["ok"], false);  // validated like the hub
//
// What it does, as the hub does it: a full hepek_host_api table (every function, struct_size set) for one
// instance; the config is checked against the descriptor's schema (unknown keys, required keys, types, the
// ABI 1.1 constraints) and completed with the schema's defaults before create(); publishes and announcements
// are recorded in order; deliver() hands a message to every subscription whose filter matches (MQTT
// wildcards); hepek/<device>/set for an announced device is validated against its metadata
// (command_validation.hpp) and answered on hepek/<device>/set/result; timers run on a manual clock
// (advance()); data_dir() is a private temporary directory (<root>/plugins/<id>), removed on destruction.
// What it does not do: no broker, no ACL, no retained-message replay on subscribe, no loop-back of the
// plugin's own publishes (deliver() is the only way in), no key store (sign: HEPEK_UNAVAILABLE unless a
// signer is set).
//
// Thread-safety: the host API functions may be called from any thread (a plugin's reader thread publishes);
// deliver(), advance(), command() and the instance calls run the plugin's callbacks on the calling thread,
// one at a time, as the hub's event thread does. Errors: FakeInstance and PluginUnderTest throw
// std::runtime_error with the plugin's or the schema's message.
#pragma once

#include <dlfcn.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hepek/abi.h"
#include "hepek/command_validation.hpp"
#include "hepek/config_values.hpp"
#include "hepek/time.hpp"
#include "hepek/topics.hpp"

namespace hepek::testing {

struct Published {
  std::string topic;
  std::string payload;
  int qos = 1;
  bool retained = false;
};

struct LogLine {
  int level = HEPEK_LOG_INFO;  // enum hepek_log_level
  std::string message;
};

namespace detail {

// Seconds of a duration written as "<integer><unit>..." (hepek::parse_duration_ms, the hub's own reader);
// nullopt when it is not one, or below 1 s but not 0.
inline std::optional<int64_t> parse_duration_seconds(const std::string& text) {
  const auto ms = hepek::parse_duration_ms(text);
  if (!ms || (*ms > 0 && *ms < 1000)) return std::nullopt;
  return *ms / 1000;
}

// A schema row's default (a TOML literal) as JSON: numbers, booleans, "basic" and 'literal' strings and
// arrays of them are what schemas use.
inline nlohmann::json default_of(const hepek_config_row& row) {
  std::string literal = row.default_value;
  if (literal.size() >= 2 && literal.front() == '\'' && literal.back() == '\'')
    return literal.substr(1, literal.size() - 2);
  if (!literal.empty() && (std::isdigit(static_cast<unsigned char>(literal[0])) || literal[0] == '-'))
    std::erase(literal, '_');  // TOML digit separators
  nlohmann::json value = nlohmann::json::parse(literal, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded())
    throw std::runtime_error(std::string("schema row \"") + row.key + "\": default " + row.default_value +
                             " is not a TOML literal this fake host reads");
  return value;
}

inline const char* type_name(uint32_t type) {
  return hepek::config_type_name(type);
}

// Checks one value against its row's type; DURATION strings become integer seconds. Returns an error or "".
inline std::string check_type(const hepek_config_row& row, nlohmann::json& value) {
  bool fits = false;
  switch (row.type) {
    case HEPEK_CONFIG_STRING:
      fits = value.is_string();
      break;
    case HEPEK_CONFIG_INTEGER:
      fits = value.is_number_integer();
      break;
    case HEPEK_CONFIG_FLOAT:
      fits = value.is_number();
      break;
    case HEPEK_CONFIG_BOOLEAN:
      fits = value.is_boolean();
      break;
    case HEPEK_CONFIG_STRING_ARRAY:
      fits = value.is_array() &&
             std::all_of(value.begin(), value.end(), [](const auto& v) { return v.is_string(); });
      break;
    case HEPEK_CONFIG_TABLE:
      fits = value.is_object() || value.is_array();
      break;
    case HEPEK_CONFIG_DURATION:
      if (value.is_number_integer()) {
        fits = value.get<int64_t>() >= 0;
      } else if (value.is_string()) {
        if (const auto seconds = parse_duration_seconds(value.get<std::string>())) {
          value = *seconds;
          fits = true;
        }
      }
      break;
    default:
      fits = true;
  }
  if (fits) return {};
  return std::string("\"") + row.key + "\" must be " + type_name(row.type) + ", got " + value.dump();
}

inline std::string check_constraint(const hepek_config_constraint& rule, const hepek_config_row& row,
                                    const nlohmann::json& value) {
  const std::string key = std::string("\"") + rule.key + "\"";
  if (rule.allowed) {
    std::vector<std::string> allowed;
    for (const char* const* option = rule.allowed; *option; ++option) allowed.emplace_back(*option);
    const auto is_allowed = [&](const nlohmann::json& v) {
      return v.is_string() &&
             std::find(allowed.begin(), allowed.end(), v.get<std::string>()) != allowed.end();
    };
    const bool ok =
        value.is_array() ? std::all_of(value.begin(), value.end(), is_allowed) : is_allowed(value);
    if (!ok) return key + " must be one of " + nlohmann::json(allowed).dump() + ", got " + value.dump();
  }
  double measured = 0;
  if (value.is_number())
    measured = value.get<double>();
  else if (value.is_string() && row.type == HEPEK_CONFIG_STRING)
    measured = static_cast<double>(value.get<std::string>().size());
  else
    return {};
  if (rule.flags & HEPEK_CONSTRAINT_MINIMUM) {
    const bool exclusive = rule.flags & HEPEK_CONSTRAINT_EXCLUSIVE_MINIMUM;
    if (exclusive ? !(measured > rule.minimum) : measured < rule.minimum)
      return key + ": " + value.dump() + " is below the minimum " + nlohmann::json(rule.minimum).dump();
  }
  if ((rule.flags & HEPEK_CONSTRAINT_MAXIMUM) && measured > rule.maximum)
    return key + ": " + value.dump() + " is above the maximum " + nlohmann::json(rule.maximum).dump();
  return {};
}

inline void copy_text(const std::string& text, char* buffer, std::size_t capacity) {
  if (!buffer || capacity == 0) return;
  const std::size_t n = std::min(text.size(), capacity - 1);
  std::memcpy(buffer, text.data(), n);
  buffer[n] = '\0';
}

}  // namespace detail

// A plugin's descriptor, from its entry function (a plugin class's HEPEK_PLUGIN linked into the test), a
// descriptor pointer, or a built library file (dlopen, as the hub loads it; unloaded on destruction).
class PluginUnderTest {
 public:
  static PluginUnderTest from_entry(hepek_plugin_entry_fn entry) {
    const hepek_plugin* descriptor = entry ? entry(HEPEK_ABI_MAJOR, HEPEK_ABI_MINOR) : nullptr;
    if (!descriptor)
      throw std::runtime_error("the plugin's entry function refused ABI " + std::to_string(HEPEK_ABI_MAJOR) +
                               "." + std::to_string(HEPEK_ABI_MINOR));
    return from_descriptor(descriptor);
  }
  static PluginUnderTest from_descriptor(const hepek_plugin* descriptor) {
    if (!descriptor) throw std::runtime_error("no plugin descriptor");
    if (descriptor->abi_major != HEPEK_ABI_MAJOR)
      throw std::runtime_error(std::string("plugin ") + (descriptor->id ? descriptor->id : "?") +
                               " is built for ABI " + std::to_string(descriptor->abi_major) +
                               ", this SDK is " + std::to_string(HEPEK_ABI_MAJOR));
    PluginUnderTest plugin;
    plugin.descriptor_ = descriptor;
    return plugin;
  }
  static PluginUnderTest from_library(const std::string& path) {
    void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!library) throw std::runtime_error("dlopen " + path + ": " + dlerror());
    auto entry = reinterpret_cast<hepek_plugin_entry_fn>(dlsym(library, HEPEK_ENTRY_SYMBOL));
    if (!entry) {
      dlclose(library);
      throw std::runtime_error(path + " has no " HEPEK_ENTRY_SYMBOL);
    }
    PluginUnderTest plugin = from_entry(entry);
    plugin.library_ = std::shared_ptr<void>(library, [](void* handle) { dlclose(handle); });
    return plugin;
  }

  const hepek_plugin& descriptor() const { return *descriptor_; }
  const hepek_plugin* operator->() const { return descriptor_; }

  std::vector<std::string> config_keys() const {
    std::vector<std::string> keys;
    for (uint32_t i = 0; i < descriptor_->config_row_count; ++i)
      keys.emplace_back(descriptor_->config_rows[i].key);
    return keys;
  }
  // The ABI 1.1 constraint rows (none for a plugin built for 1.0).
  std::vector<const hepek_config_constraint*> constraints() const {
    std::vector<const hepek_config_constraint*> rows;
    const std::size_t needed = offsetof(hepek_plugin, config_constraint_size) + sizeof(uint32_t);
    if (descriptor_->struct_size < needed || !descriptor_->config_constraints) return rows;
    const auto* base = reinterpret_cast<const unsigned char*>(descriptor_->config_constraints);
    for (uint32_t i = 0; i < descriptor_->config_constraint_count; ++i)
      rows.push_back(
          reinterpret_cast<const hepek_config_constraint*>(base + i * descriptor_->config_constraint_size));
    return rows;
  }

  // `config` checked against the schema as the hub checks an instance table, with defaults filled in; throws
  // std::runtime_error listing every problem, one per line.
  nlohmann::json validated_config(const nlohmann::json& config) const {
    if (!config.is_object())
      throw std::runtime_error("the configuration must be a JSON object, got " + config.dump());
    std::vector<std::string> problems;
    std::map<std::string, const hepek_config_row*> rows;
    for (uint32_t i = 0; i < descriptor_->config_row_count; ++i)
      rows[descriptor_->config_rows[i].key] = &descriptor_->config_rows[i];
    nlohmann::json result = nlohmann::json::object();
    for (const auto& [key, value] : config.items()) {
      const auto row = rows.find(key);
      if (row == rows.end()) {
        problems.push_back("unknown key \"" + key +
                           "\"; allowed keys: " + nlohmann::json(config_keys()).dump());
        continue;
      }
      nlohmann::json checked = value;
      if (std::string problem = detail::check_type(*row->second, checked); !problem.empty())
        problems.push_back(problem);
      result[key] = checked;
    }
    for (const auto& [key, row] : rows)
      if (!result.contains(key) && row->default_value) {
        nlohmann::json value = detail::default_of(*row);
        detail::check_type(*row, value);  // a duration default becomes seconds
        result[key] = value;
      }
    for (const hepek_config_constraint* rule : constraints()) {
      const auto row = rows.find(rule->key ? rule->key : "");
      if (row == rows.end()) continue;
      bool applies = true;
      if (rule->only_when) {
        const std::string condition = rule->only_when;
        const auto equals = condition.find('=');
        const std::string other = condition.substr(0, equals), wanted = condition.substr(equals + 1);
        const auto it = result.find(other);
        applies = it != result.end() &&
                  ((it->is_string() && it->get<std::string>() == wanted) || it->dump() == wanted);
        if (!applies && config.contains(rule->key))
          problems.push_back("\"" + std::string(rule->key) + "\" belongs only to instances with " +
                             condition);
        if (!applies) result.erase(rule->key);
      }
      if (applies && result.contains(rule->key))
        if (std::string problem = detail::check_constraint(*rule, *row->second, result[rule->key]);
            !problem.empty())
          problems.push_back(problem);
    }
    for (const auto& [key, row] : rows) {
      if (!row->required || result.contains(key)) continue;
      bool scoped_out = false;
      for (const hepek_config_constraint* rule : constraints())
        if (rule->key && key == rule->key && rule->only_when) {
          const std::string condition = rule->only_when;
          const auto equals = condition.find('=');
          const auto it = result.find(condition.substr(0, equals));
          scoped_out = it == result.end() || (it->is_string() ? it->get<std::string>() : it->dump()) !=
                                                 condition.substr(equals + 1);
        }
      if (!scoped_out) problems.push_back("missing required key \"" + key + "\"");
    }
    if (!problems.empty()) {
      std::string message;
      for (const auto& problem : problems) message += (message.empty() ? "" : "\n") + problem;
      throw std::runtime_error(message);
    }
    return result;
  }

  // Runs the plugin's CLI command `name` (e.g. "dsmr parse") with `args` as `hepek <name> <args...>` would,
  // without a bus; returns its exit code. Output goes to this process's stdout/stderr.
  int run_cli(const std::string& name, const std::vector<std::string>& args,
              const std::string& data_dir = "/tmp",
              const nlohmann::json& instance_config = nlohmann::json::object(),
              const std::string& config_file = {}) const {
    for (uint32_t i = 0; i < descriptor_->command_count; ++i) {
      const hepek_cli_command& command = descriptor_->commands[i];
      if (name != command.name) continue;
      const std::string config_json = instance_config.dump();
      hepek_command_context context{sizeof(hepek_command_context),
                                    config_file.empty() ? nullptr : config_file.c_str(),
                                    data_dir.c_str(),
                                    config_json.c_str(),
                                    nullptr,
                                    nullptr};
      std::vector<std::string> words{name};
      words.insert(words.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& word : words) argv.push_back(word.data());
      argv.push_back(nullptr);
      return command.run(&context, static_cast<int>(words.size()), argv.data());
    }
    throw std::runtime_error("the plugin has no CLI command \"" + name + "\"");
  }

 private:
  PluginUnderTest() = default;
  const hepek_plugin* descriptor_ = nullptr;
  std::shared_ptr<void> library_;  // keeps a dlopened library loaded while a copy lives
};

// The hub's side of the ABI for one plugin instance.
class FakeHost {
 public:
  struct Timer {
    uint64_t id;
    uint64_t period_ms;
    int64_t next_ms;  // when it fires next on the manual clock
  };

  explicit FakeHost(std::string instance_id = "test") : id_(std::move(instance_id)) {
    std::string pattern = (std::filesystem::temp_directory_path() / "hepek-fake-host-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp " + pattern + " failed");
    root_ = pattern;
    data_dir_ = root_ + "/plugins/" + id_;
    std::filesystem::create_directories(data_dir_);
  }
  ~FakeHost() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  // --- What the plugin sees (set before create()) ---
  const std::string& id() const { return id_; }
  bool simulation = false;
  std::string timezone = "Europe/Amsterdam";
  nlohmann::json hub_settings = {{"name", "test"},
                                 {"timezone", "Europe/Amsterdam"},
                                 {"latitude", 52.37},
                                 {"longitude", 4.9},
                                 {"step_s", 900}};
  std::string chain_endpoint;
  uint64_t random_seed = 1;
  // The device key: an address and a signer for granted purposes; unset, both answer HEPEK_UNAVAILABLE.
  std::string key_address;
  std::function<bool(const std::string& purpose, const uint8_t* digest32, uint8_t* signature65)> signer;

  // The hub's data directory (removed on destruction) and the instance's own, <root>/plugins/<id>.
  const std::string& root_dir() const { return root_; }
  const std::string& data_dir() const { return data_dir_; }

  // --- The manual clock and timers ---
  int64_t now_ms() const {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void set_now_ms(int64_t now) {
    std::lock_guard lock(mutex_);
    now_ = now;
  }
  // Moves the clock forward by `ms`, firing every timer that falls due on the way, in time order, with the
  // clock at its due time.
  void advance(int64_t ms) {
    const int64_t target = now_ms() + ms;
    for (;;) {
      std::unique_lock lock(mutex_);
      auto due = timers_.end();
      for (auto it = timers_.begin(); it != timers_.end(); ++it)
        if (it->second.next_ms <= target &&
            (due == timers_.end() || it->second.next_ms < due->second.next_ms))
          due = it;
      if (due == timers_.end()) {
        now_ = target;
        return;
      }
      now_ = due->second.next_ms;
      due->second.next_ms += static_cast<int64_t>(std::max<uint64_t>(due->second.period_ms, 1));
      const TimerSlot slot = due->second;
      lock.unlock();
      slot.callback(slot.user);
    }
  }
  // Fires every timer once, now, without moving the clock.
  void fire_timers() {
    std::vector<uint64_t> ids;
    {
      std::lock_guard lock(mutex_);
      for (const auto& [id, timer] : timers_) ids.push_back(id);
    }
    for (const uint64_t id : ids) {
      std::unique_lock lock(mutex_);
      const auto it = timers_.find(id);
      if (it == timers_.end()) continue;  // cancelled by an earlier callback
      const TimerSlot slot = it->second;
      lock.unlock();
      slot.callback(slot.user);
    }
  }
  std::vector<Timer> timers() const {
    std::lock_guard lock(mutex_);
    std::vector<Timer> out;
    for (const auto& [id, timer] : timers_) out.push_back({id, timer.period_ms, timer.next_ms});
    return out;
  }

  // --- Messages in ---
  // Delivers a message as the bus would: a /set of an announced device goes to its command handler
  // (validated, answered on /set/result); every other topic to each subscription whose filter matches.
  // Returns how many subscriptions (or command handlers) received it.
  std::size_t deliver(const std::string& topic, const std::string& payload, bool retained = false) {
    for (const auto& [device, announced] : devices_snapshot())
      if (topic == topics::set(device) && announced.handler) {
        command(device, payload);
        return 1;
      }
    std::vector<SubscriptionSlot> matching;
    {
      std::lock_guard lock(mutex_);
      for (const auto& [id, subscription] : subscriptions_)
        if (topics::topic_matches(subscription.filter, topic)) matching.push_back(subscription);
    }
    std::size_t delivered = 0;
    for (const auto& subscription : matching) {
      {
        std::lock_guard lock(mutex_);  // skip what an earlier callback unsubscribed
        if (!subscriptions_.count(subscription.id)) continue;
      }
      subscription.callback(subscription.user, topic.c_str(), payload.data(), payload.size(),
                            retained ? 1 : 0);
      ++delivered;
    }
    return delivered;
  }
  std::size_t deliver_json(const std::string& topic, const nlohmann::json& payload, bool retained = false) {
    return deliver(topic, payload.dump(), retained);
  }
  // A hepek/<device>/set command as the hub handles it: validated against the device's announced metadata,
  // then handed to its handler; the result ({"ok":true,"command":...} or {"ok":false,"error":...}, with "ts")
  // is published on hepek/<device>/set/result and returned.
  nlohmann::json command(const std::string& device, const std::string& payload) {
    const auto devices = devices_snapshot();
    const auto found = devices.find(device);
    nlohmann::json result;
    if (found == devices.end() || !found->second.handler) {
      result = {{"ok", false}, {"error", "device " + device + " was not announced with a command handler"}};
    } else if (std::string problem = validate_command(found->second.metadata, payload); !problem.empty()) {
      result = {{"ok", false}, {"error", problem}};
    } else {
      const std::string normalized = nlohmann::json::parse(payload).dump();
      char error[512] = {};
      const int32_t status =
          found->second.handler(found->second.user, device.c_str(), normalized.c_str(), error, sizeof error);
      if (status == HEPEK_OK)
        result = {{"ok", true}, {"command", nlohmann::json::parse(normalized)}};
      else
        result = {{"ok", false}, {"error", error[0] ? error : "the device rejected the command"}};
    }
    result["ts"] = iso8601_utc(now_ms());
    record({topics::set_result(device), result.dump(), 1, false});
    return result;
  }
  // Forgets every subscription and timer, as the hub does when an instance is gone (a test that checks
  // stop() cleans up asserts subscriptions()/timers() are empty first).
  void clear_subscriptions_and_timers() {
    std::lock_guard lock(mutex_);
    subscriptions_.clear();
    timers_.clear();
  }
  std::vector<std::string> subscriptions() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> filters;
    for (const auto& [id, subscription] : subscriptions_) filters.push_back(subscription.filter);
    return filters;
  }

  // --- What the plugin did ---
  // Every publish and announcement (a retained hepek/<device>/config), in order.
  std::vector<Published> published() const {
    std::lock_guard lock(mutex_);
    return published_;
  }
  std::vector<Published> published_on(const std::string& filter) const {
    std::vector<Published> out;
    for (auto& message : published())
      if (topics::topic_matches(filter, message.topic)) out.push_back(message);
    return out;
  }
  // The last payload on `topic` parsed as JSON; nullopt when there was none (or it was not JSON).
  std::optional<nlohmann::json> last_json(const std::string& topic) const {
    const auto messages = published_on(topic);
    if (messages.empty()) return std::nullopt;
    auto json = nlohmann::json::parse(messages.back().payload, nullptr, false);
    if (json.is_discarded()) return std::nullopt;
    return json;
  }
  std::optional<nlohmann::json> last_state(const std::string& device) const {
    return last_json(topics::state(device));
  }
  std::vector<std::string> states(const std::string& device) const {
    std::vector<std::string> out;
    for (const auto& message : published_on(topics::state(device))) out.push_back(message.payload);
    return out;
  }
  // The metadata of an announced device; nullopt when it was not announced.
  std::optional<nlohmann::json> device_metadata(const std::string& device) const {
    const auto devices = devices_snapshot();
    const auto found = devices.find(device);
    if (found == devices.end()) return std::nullopt;
    return found->second.metadata;
  }
  std::vector<LogLine> logs() const {
    std::lock_guard lock(mutex_);
    return logs_;
  }
  // Whether a line at `level` containing `text` was logged.
  bool logged(int level, const std::string& text) const {
    for (const auto& line : logs())
      if (line.level == level && line.message.find(text) != std::string::npos) return true;
    return false;
  }
  std::size_t count_logs(int min_level) const {
    const auto lines = logs();
    return static_cast<std::size_t>(std::count_if(
        lines.begin(), lines.end(), [&](const LogLine& line) { return line.level >= min_level; }));
  }
  // The reason the instance gave to fail(), if it did.
  std::optional<std::string> failure() const {
    std::lock_guard lock(mutex_);
    return failure_;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    published_.clear();
    logs_.clear();
  }
  // Waits until `predicate(published())` holds (a plugin's own thread publishes); false on timeout.
  bool wait_until(const std::function<bool(const std::vector<Published>&)>& predicate,
                  std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return predicate(published_); });
  }
  bool wait_for_states(const std::string& device, std::size_t count, std::chrono::milliseconds timeout) {
    const std::string topic = topics::state(device);
    return wait_until(
        [&](const std::vector<Published>& messages) {
          return static_cast<std::size_t>(
                     std::count_if(messages.begin(), messages.end(),
                                   [&](const Published& m) { return m.topic == topic; })) >= count;
        },
        timeout);
  }

  // --- The ABI ---
  const hepek_host_api* api() const { return &table(); }
  hepek_host* handle() { return reinterpret_cast<hepek_host*>(this); }

 private:
  struct SubscriptionSlot {
    uint64_t id;
    std::string filter;
    hepek_message_fn callback;
    void* user;
  };
  struct TimerSlot {
    uint64_t period_ms;
    int64_t next_ms;
    hepek_timer_fn callback;
    void* user;
  };
  struct AnnouncedDevice {
    nlohmann::json metadata;
    hepek_device_command_fn handler;
    void* user;
  };

  std::map<std::string, AnnouncedDevice> devices_snapshot() const {
    std::lock_guard lock(mutex_);
    return devices_;
  }
  void record(Published message) {
    {
      std::lock_guard lock(mutex_);
      published_.push_back(std::move(message));
    }
    changed_.notify_all();
  }

  static FakeHost& self(hepek_host* host) { return *reinterpret_cast<FakeHost*>(host); }

  static const hepek_host_api& table() {
    static const hepek_host_api api = [] {
      hepek_host_api t{};
      t.struct_size = sizeof(hepek_host_api);
      t.abi_major = HEPEK_ABI_MAJOR;
      t.abi_minor = HEPEK_ABI_MINOR;
      t.instance_id = [](hepek_host* host) { return self(host).id_.c_str(); };
      t.log = [](hepek_host* host, int32_t level, const char* message) {
        auto& fake = self(host);
        {
          std::lock_guard lock(fake.mutex_);
          fake.logs_.push_back({level, message ? message : ""});
        }
        fake.changed_.notify_all();
      };
      t.publish = [](hepek_host* host, const char* topic, const void* payload, size_t length, int32_t qos,
                     int32_t retain) -> int32_t {
        if (!topic || !*topic || std::strpbrk(topic, "+#") || qos < 0 || qos > 2 || (length && !payload))
          return HEPEK_INVALID;
        self(host).record({topic, std::string(static_cast<const char*>(payload), length), qos, retain != 0});
        return HEPEK_OK;
      };
      t.subscribe = [](hepek_host* host, const char* filter, int32_t, hepek_message_fn callback, void* user,
                       uint64_t* subscription) -> int32_t {
        if (!filter || !*filter || !callback) return HEPEK_INVALID;
        auto& fake = self(host);
        std::lock_guard lock(fake.mutex_);
        const uint64_t id = fake.next_id_++;
        fake.subscriptions_[id] = {id, filter, callback, user};
        if (subscription) *subscription = id;
        return HEPEK_OK;
      };
      t.unsubscribe = [](hepek_host* host, uint64_t subscription) -> int32_t {
        auto& fake = self(host);
        std::lock_guard lock(fake.mutex_);
        return fake.subscriptions_.erase(subscription) ? HEPEK_OK : HEPEK_INVALID;
      };
      t.announce_device = [](hepek_host* host, const char* device, const char* metadata_json,
                             hepek_device_command_fn handler, void* user) -> int32_t {
        if (!device || !*device || !metadata_json) return HEPEK_INVALID;
        auto metadata = nlohmann::json::parse(metadata_json, nullptr, false);
        if (!metadata.is_object()) return HEPEK_INVALID;
        auto& fake = self(host);
        {
          std::lock_guard lock(fake.mutex_);
          fake.devices_[device] = {metadata, handler, user};
        }
        fake.record({topics::config(device), metadata_json, 1, true});
        return HEPEK_OK;
      };
      t.now_ms = [](hepek_host* host) { return self(host).now_ms(); };
      t.add_timer = [](hepek_host* host, uint64_t period_ms, hepek_timer_fn callback, void* user,
                       uint64_t* timer) -> int32_t {
        if (!callback || period_ms == 0) return HEPEK_INVALID;
        auto& fake = self(host);
        std::lock_guard lock(fake.mutex_);
        const uint64_t id = fake.next_id_++;
        fake.timers_[id] = {period_ms, fake.now_ + static_cast<int64_t>(period_ms), callback, user};
        if (timer) *timer = id;
        return HEPEK_OK;
      };
      t.cancel_timer = [](hepek_host* host, uint64_t timer) -> int32_t {
        auto& fake = self(host);
        std::lock_guard lock(fake.mutex_);
        return fake.timers_.erase(timer) ? HEPEK_OK : HEPEK_INVALID;
      };
      t.data_dir = [](hepek_host* host) { return self(host).data_dir_.c_str(); };
      t.timezone = [](hepek_host* host) { return self(host).timezone.c_str(); };
      t.key_address = [](hepek_host* host, char* address, size_t capacity) -> int32_t {
        const auto& fake = self(host);
        if (fake.key_address.empty()) return HEPEK_UNAVAILABLE;
        if (!address || capacity <= fake.key_address.size()) return HEPEK_INVALID;
        detail::copy_text(fake.key_address, address, capacity);
        return HEPEK_OK;
      };
      t.sign_digest = [](hepek_host* host, const char* purpose, const uint8_t* digest32,
                         uint8_t* signature65) -> int32_t {
        const auto& fake = self(host);
        if (!fake.signer) return HEPEK_UNAVAILABLE;
        if (!purpose || !digest32 || !signature65) return HEPEK_INVALID;
        return fake.signer(purpose, digest32, signature65) ? HEPEK_OK : HEPEK_DENIED;
      };
      t.is_simulation = [](hepek_host* host) -> int32_t { return self(host).simulation ? 1 : 0; };
      t.chain_endpoint = [](hepek_host* host) { return self(host).chain_endpoint.c_str(); };
      t.random_seed = [](hepek_host* host) { return self(host).random_seed; };
      t.hub_settings_json = [](hepek_host* host) {
        auto& fake = self(host);
        std::lock_guard lock(fake.mutex_);
        fake.hub_settings_text_ = fake.hub_settings.dump();
        return fake.hub_settings_text_.c_str();
      };
      t.fail = [](hepek_host* host, const char* reason) {
        auto& fake = self(host);
        {
          std::lock_guard lock(fake.mutex_);
          fake.failure_ = reason ? reason : "";
          fake.logs_.push_back({HEPEK_LOG_ERROR, reason ? reason : ""});
        }
        fake.changed_.notify_all();
      };
      return t;
    }();
    return api;
  }

  std::string id_;
  std::string root_;
  std::string data_dir_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  int64_t now_ = 1'700'000'000'000;  // 2023-11-14T22:13:20Z
  uint64_t next_id_ = 1;
  std::map<uint64_t, SubscriptionSlot> subscriptions_;
  std::map<uint64_t, TimerSlot> timers_;
  std::map<std::string, AnnouncedDevice> devices_;
  std::vector<Published> published_;
  std::vector<LogLine> logs_;
  std::optional<std::string> failure_;
  std::string hub_settings_text_;
};

// One instance of the plugin on a FakeHost: created from a JSON config (checked and completed as the hub
// does), started with start(), stopped and destroyed at scope end (or by stop()).
class FakeInstance {
 public:
  // Throws std::runtime_error with the schema's problems or the plugin's own refusal message.
  FakeInstance(const PluginUnderTest& plugin, FakeHost& host,
               const nlohmann::json& config = nlohmann::json::object())
      : plugin_(plugin), host_(host) {
    const std::string text = plugin_.validated_config(config).dump();
    char error[1024] = {};
    if (plugin_->create(host.api(), host.handle(), text.c_str(), &instance_, error, sizeof error) != HEPEK_OK)
      throw std::runtime_error(error[0] ? error : "create() refused the instance");
  }
  ~FakeInstance() { stop(); }
  FakeInstance(const FakeInstance&) = delete;
  FakeInstance& operator=(const FakeInstance&) = delete;

  void start() {
    char error[1024] = {};
    if (plugin_->start(instance_, error, sizeof error) != HEPEK_OK)
      throw std::runtime_error(error[0] ? error : "start() refused the instance");
    started_ = true;
  }
  // stop() (when started) then destroy(), as the hub stops an instance. Safe to call twice.
  void stop() {
    if (!instance_) return;
    if (started_) plugin_->stop(instance_);
    plugin_->destroy(instance_);
    instance_ = nullptr;
    started_ = false;
  }
  // One lock-step phase at `now_ms` (the host's clock is set to it first); no-op when the plugin has no step.
  void step(hepek_phase phase, int64_t now_ms) {
    host_.set_now_ms(now_ms);
    if (plugin_->step) plugin_->step(instance_, phase, now_ms);
  }
  // The three phases of one step at `now_ms`.
  void full_step(int64_t now_ms) {
    for (const hepek_phase phase : {HEPEK_PHASE_SENSE, HEPEK_PHASE_DECIDE, HEPEK_PHASE_ACT})
      step(phase, now_ms);
  }
  // The plugin's simulation summary section, or null.
  nlohmann::json summary() {
    const char* text = plugin_->summary ? plugin_->summary(instance_) : nullptr;
    return text ? nlohmann::json::parse(text) : nlohmann::json();
  }
  hepek_instance* raw() const { return instance_; }

 private:
  PluginUnderTest plugin_;
  FakeHost& host_;
  hepek_instance* instance_ = nullptr;
  bool started_ = false;
};

}  // namespace hepek::testing
