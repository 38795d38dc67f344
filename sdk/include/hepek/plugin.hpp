// The C++ plugin layer: write a class, add one macro.
//
//   class MyMeter : public hepek::Plugin {
//    public:
//     MyMeter(hepek::Host& host, const nlohmann::json& config);   // config is validated, defaults filled in
//     static std::vector<hepek::ConfigRow> config_schema();       // optional
//     static std::vector<hepek::CliCommand> cli_commands();       // optional: HEPEK_CLI("x y", "help", function)
//     static std::vector<hepek::TopicGrant> topics();             // optional: shared topics beyond hepek/<id>/...
//     static constexpr const char* category = "meter";            // optional
//     static constexpr const char* description = "...";           // optional
//     void start() override; void stop() override;                 // optional
//     void step(hepek::Phase phase, std::int64_t now_ms) override; // optional: lock-step simulation
//     nlohmann::json summary() override;                           // optional: simulation summary section
//   };
//   HEPEK_PLUGIN(MyMeter, "org.example.meter", "1.0.0")
//
// Contract: exceptions thrown by the class never cross the C boundary — in the constructor or start() they refuse
// the instance with the exception's message; in callbacks they are logged and the callback is dropped for that call.
// Callbacks run on the hub's event thread; Host methods are thread-safe.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "hepek/abi.h"
#include "hepek/entity.hpp"
#include "hepek/time.hpp"
#include "hepek/topics.hpp"

namespace hepek {

enum class Phase : int32_t { sense = HEPEK_PHASE_SENSE, decide = HEPEK_PHASE_DECIDE, act = HEPEK_PHASE_ACT };
enum class LogLevel : int32_t {
  debug = HEPEK_LOG_DEBUG,
  info = HEPEK_LOG_INFO,
  warning = HEPEK_LOG_WARNING,
  error = HEPEK_LOG_ERROR
};

struct Message {
  std::string_view topic;
  std::string_view payload;
  bool retained = false;
};

// Result of a command handler: empty = accepted, otherwise the error text for .../set/result.
using CommandResult = std::string;

struct ConfigRow {
  std::string key;
  hepek_config_type type = HEPEK_CONFIG_STRING;
  std::string default_value;  // TOML literal; empty = no default
  bool required = false;
  std::string description;
};

struct TopicGrant {
  std::string filter;
  hepek_access access = HEPEK_ACCESS_BOTH;
};

struct CliCommand {
  const char* name;
  const char* help;
  int (*run)(const hepek_command_context*, int, char**);
};

// What a CLI command implementation receives.
struct CommandContext {
  std::string config_file;
  std::string data_dir;
  nlohmann::json config;  // the first instance of this plugin type in the config file, or {}
  const hepek_command_context* raw = nullptr;
};

namespace detail {
template <auto Function>
int cli_trampoline(const hepek_command_context* raw, int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    CommandContext context{raw->config_file ? raw->config_file : "", raw->data_dir ? raw->data_dir : "",
                           nlohmann::json::parse(raw->config_json ? raw->config_json : "{}"), raw};
    return Function(context, args);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "hepek %s: %s\n", argc > 0 ? argv[0] : "?", error.what());
    return 2;
  } catch (...) {
    std::fprintf(stderr, "hepek %s: unknown error\n", argc > 0 ? argv[0] : "?");
    return 2;
  }
}
inline void copy_error(const std::string& message, char* error, size_t capacity) {
  if (!error || capacity == 0) return;
  const size_t n = std::min(message.size(), capacity - 1);
  std::memcpy(error, message.data(), n);
  error[n] = '\0';
}
}  // namespace detail

// HEPEK_CLI("dsmr parse", "Parse P1 telegram files and print JSON", parse_command)
// where `int parse_command(const hepek::CommandContext&, const std::vector<std::string>& args)`.
#define HEPEK_CLI(name, help, function)                    \
  ::hepek::CliCommand {                                    \
    name, help, &::hepek::detail::cli_trampoline<function> \
  }

// The instance's view of the hub. Owned by the plugin wrapper; outlives the plugin object.
class Host {
 public:
  Host(const hepek_host_api* api, hepek_host* host) : api_(api), host_(host) {}
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  std::string id() const { return api_->instance_id(host_); }
  void log(LogLevel level, const std::string& message) const {
    api_->log(host_, static_cast<int32_t>(level), message.c_str());
  }
  void info(const std::string& message) const { log(LogLevel::info, message); }
  void warn(const std::string& message) const { log(LogLevel::warning, message); }
  void error(const std::string& message) const { log(LogLevel::error, message); }

  // Returns HEPEK_OK or an error status (HEPEK_DENIED outside the ACL).
  int publish(std::string_view topic, std::string_view payload, int qos = 1, bool retain = false) const {
    const std::string t(topic);
    return api_->publish(host_, t.c_str(), payload.data(), payload.size(), qos, retain ? 1 : 0);
  }
  int publish_json(std::string_view topic, const nlohmann::json& payload, int qos = 1,
                   bool retain = false) const {
    return publish(topic, payload.dump(), qos, retain);
  }
  // Publish a device state (retained) with "ts" added when missing.
  int publish_state(std::string_view device, nlohmann::json state) const;

  using MessageHandler = std::function<void(const Message&)>;
  uint64_t subscribe(std::string_view filter, MessageHandler handler, int qos = 1) {
    uint64_t id = 0;
    const std::string f(filter);
    void* user = keep(std::move(handler), message_handlers_);
    if (api_->subscribe(host_, f.c_str(), qos, &Host::on_message, user, &id) != HEPEK_OK)
      throw std::runtime_error("cannot subscribe to " + f);
    return id;
  }
  void unsubscribe(uint64_t subscription) { api_->unsubscribe(host_, subscription); }

  using CommandHandler = std::function<CommandResult(const nlohmann::json& command)>;
  // Announce a device's entity metadata (retained hepek/<device>/config); `handler` receives only commands that
  // fit the declared command schemas.
  void announce(const Device& device, CommandHandler handler = {}) {
    hepek_device_command_fn callback = nullptr;
    void* user = nullptr;
    if (handler) {
      user = keep(std::move(handler), command_handlers_);
      callback = &Host::on_command;
    }
    const std::string metadata = device.to_json().dump();
    if (api_->announce_device(host_, device.name.c_str(), metadata.c_str(), callback, user) != HEPEK_OK)
      throw std::runtime_error("cannot announce device " + device.name);
  }

  int64_t now_ms() const { return api_->now_ms(host_); }
  uint64_t every(uint64_t period_ms, std::function<void()> callback) {
    uint64_t id = 0;
    void* user = keep(std::move(callback), timer_handlers_);
    if (api_->add_timer(host_, period_ms, &Host::on_timer, user, &id) != HEPEK_OK)
      throw std::runtime_error("cannot add a timer");
    return id;
  }
  void cancel(uint64_t timer) { api_->cancel_timer(host_, timer); }

  std::string data_dir() const { return api_->data_dir(host_); }
  std::string timezone() const { return api_->timezone(host_); }
  bool is_simulation() const { return api_->is_simulation(host_) != 0; }
  std::string chain_endpoint() const { return api_->chain_endpoint(host_); }
  // Seed for this instance's random numbers (from --seed and the instance id): reproducible runs.
  uint64_t random_seed() const { return api_->random_seed(host_); }
  // Marks the instance failed (a simulation stops with this reason). See hepek_host_api::fail.
  void fail(const std::string& reason) const { api_->fail(host_, reason.c_str()); }
  // {"name","timezone","latitude","longitude","step_s"} of the hub.
  nlohmann::json hub_settings() const { return nlohmann::json::parse(api_->hub_settings_json(host_)); }

  // The device key's address, or empty when the key store is unavailable.
  std::string key_address() const {
    char buffer[64] = {};
    return api_->key_address(host_, buffer, sizeof buffer) == HEPEK_OK ? std::string(buffer) : std::string();
  }
  // 65-byte recoverable signature, or nullopt when not granted / unavailable.
  std::optional<std::array<uint8_t, 65>> sign(const std::string& purpose, const uint8_t* digest32) const {
    std::array<uint8_t, 65> signature{};
    if (api_->sign_digest(host_, purpose.c_str(), digest32, signature.data()) != HEPEK_OK)
      return std::nullopt;
    return signature;
  }

  const hepek_host_api* raw_api() const { return api_; }
  hepek_host* raw_host() const { return host_; }

 private:
  // C callbacks: exceptions stop here, logged through the host.
  static void on_message(void* user, const char* topic, const void* payload, size_t length,
                         int32_t retained) {
    auto& slot = *static_cast<Slot<MessageHandler>*>(user);
    try {
      slot.function(
          Message{topic, std::string_view(static_cast<const char*>(payload), length), retained != 0});
    } catch (const std::exception& e) {
      slot.owner->error(std::string("message handler for ") + topic + " threw: " + e.what());
    } catch (...) {
      slot.owner->error(std::string("message handler for ") + topic + " threw");
    }
  }
  static void on_timer(void* user) {
    auto& slot = *static_cast<Slot<std::function<void()>>*>(user);
    try {
      slot.function();
    } catch (const std::exception& e) {
      slot.owner->error(std::string("timer threw: ") + e.what());
    } catch (...) {
      slot.owner->error("timer threw");
    }
  }
  static int32_t on_command(void* user, const char* device, const char* command_json, char* error,
                            size_t capacity) {
    auto& slot = *static_cast<Slot<CommandHandler>*>(user);
    CommandResult result;
    try {
      result = slot.function(nlohmann::json::parse(command_json));
    } catch (const std::exception& e) {
      result = std::string("command failed on ") + device + ": " + e.what();
    } catch (...) {
      result = std::string("command failed on ") + device;
    }
    if (result.empty()) return HEPEK_OK;
    detail::copy_error(result, error, capacity);
    return HEPEK_INVALID;
  }

  template <typename F>
  struct Slot {
    F function;
    const Host* owner;
  };
  template <typename F>
  void* keep(F function, std::vector<std::unique_ptr<Slot<F>>>& slots) {
    slots.push_back(std::make_unique<Slot<F>>(Slot<F>{std::move(function), this}));
    return slots.back().get();
  }

  const hepek_host_api* api_;
  hepek_host* host_;
  std::vector<std::unique_ptr<Slot<MessageHandler>>> message_handlers_;
  std::vector<std::unique_ptr<Slot<CommandHandler>>> command_handlers_;
  std::vector<std::unique_ptr<Slot<std::function<void()>>>> timer_handlers_;
};

inline int Host::publish_state(std::string_view device, nlohmann::json state) const {
  if (!state.contains("ts")) state["ts"] = iso8601_utc(now_ms());
  return publish_json(topics::state(device), state, 1, true);
}

class Plugin {
 public:
  explicit Plugin(Host& host) : host_(host) {}
  virtual ~Plugin() = default;
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  virtual void start() {}
  virtual void stop() {}
  virtual void step(Phase, int64_t /*now_ms*/) {}
  virtual nlohmann::json summary() { return nullptr; }

 protected:
  Host& host() const { return host_; }

 private:
  Host& host_;
};

namespace detail {

// Owns the Host and the plugin object of one instance (Host declared first: destroyed last).
struct InstanceBox {
  Host host;
  std::unique_ptr<Plugin> plugin;
  std::string summary_text;
  InstanceBox(const hepek_host_api* api, hepek_host* raw) : host(api, raw) {}
};

template <typename T>
concept HasConfigSchema = requires {
  T::config_schema();
};
template <typename T>
concept HasCliCommands = requires {
  T::cli_commands();
};
template <typename T>
concept HasTopics = requires {
  T::topics();
};
template <typename T>
concept HasCategory = requires {
  T::category;
};
template <typename T>
concept HasDescription = requires {
  T::description;
};

// Static descriptor storage for plugin class T; built once, lives as long as the library.
template <typename T>
struct DescriptorStorage {
  std::vector<ConfigRow> rows;
  std::vector<hepek_config_row> c_rows;
  std::vector<CliCommand> commands;
  std::vector<hepek_cli_command> c_commands;
  std::vector<TopicGrant> topics;
  std::vector<hepek_topic_grant> c_topics;
  hepek_plugin descriptor{};

  DescriptorStorage(const char* id, const char* version) {
    if constexpr (HasConfigSchema<T>) rows = T::config_schema();
    if constexpr (HasCliCommands<T>) commands = T::cli_commands();
    if constexpr (HasTopics<T>) topics = T::topics();
    for (const auto& row : rows)
      c_rows.push_back({row.key.c_str(), static_cast<uint32_t>(row.type),
                        row.default_value.empty() ? nullptr : row.default_value.c_str(), row.required ? 1 : 0,
                        row.description.c_str()});
    for (const auto& command : commands) c_commands.push_back({command.name, command.help, command.run});
    for (const auto& topic : topics)
      c_topics.push_back({topic.filter.c_str(), static_cast<uint32_t>(topic.access)});

    descriptor.struct_size = sizeof(hepek_plugin);
    descriptor.abi_major = HEPEK_ABI_MAJOR;
    descriptor.abi_minor = HEPEK_ABI_MINOR;
    descriptor.id = id;
    descriptor.version = version;
    if constexpr (HasCategory<T>)
      descriptor.category = T::category;
    else
      descriptor.category = "other";
    if constexpr (HasDescription<T>)
      descriptor.description = T::description;
    else
      descriptor.description = "";
    descriptor.config_rows = c_rows.data();
    descriptor.config_row_count = static_cast<uint32_t>(c_rows.size());
    descriptor.commands = c_commands.data();
    descriptor.command_count = static_cast<uint32_t>(c_commands.size());
    descriptor.topics = c_topics.data();
    descriptor.topic_count = static_cast<uint32_t>(c_topics.size());
    descriptor.create = &create;
    descriptor.start = &start;
    descriptor.stop = &stop;
    descriptor.destroy = &destroy;
    descriptor.step = &step;
    descriptor.summary = &summary;
  }

  static InstanceBox* box(hepek_instance* instance) { return reinterpret_cast<InstanceBox*>(instance); }

  static int32_t create(const hepek_host_api* api, hepek_host* raw, const char* config_json,
                        hepek_instance** instance, char* error, size_t capacity) {
    try {
      auto holder = std::make_unique<InstanceBox>(api, raw);
      const nlohmann::json config = nlohmann::json::parse(config_json ? config_json : "{}");
      holder->plugin = std::make_unique<T>(holder->host, config);
      *instance = reinterpret_cast<hepek_instance*>(holder.release());
      return HEPEK_OK;
    } catch (const std::exception& e) {
      copy_error(e.what(), error, capacity);
    } catch (...) {
      copy_error("unknown exception in constructor", error, capacity);
    }
    return HEPEK_ERROR;
  }
  static int32_t start(hepek_instance* instance, char* error, size_t capacity) {
    try {
      box(instance)->plugin->start();
      return HEPEK_OK;
    } catch (const std::exception& e) {
      copy_error(e.what(), error, capacity);
    } catch (...) {
      copy_error("unknown exception in start()", error, capacity);
    }
    return HEPEK_ERROR;
  }
  static void stop(hepek_instance* instance) {
    try {
      box(instance)->plugin->stop();
    } catch (const std::exception& e) {
      box(instance)->host.error(std::string("stop() threw: ") + e.what());
    } catch (...) {
    }
  }
  static void destroy(hepek_instance* instance) {
    try {
      delete box(instance);
    } catch (...) {
    }
  }
  static void step(hepek_instance* instance, int32_t phase, int64_t now_ms) {
    try {
      box(instance)->plugin->step(static_cast<Phase>(phase), now_ms);
    } catch (const std::exception& e) {
      box(instance)->host.fail(std::string("step() threw: ") + e.what());
    } catch (...) {
      box(instance)->host.fail("step() threw an unknown exception");
    }
  }
  static const char* summary(hepek_instance* instance) {
    try {
      const nlohmann::json section = box(instance)->plugin->summary();
      box(instance)->summary_text = section.is_null() ? std::string() : section.dump();
    } catch (const std::exception& e) {
      box(instance)->host.error(std::string("summary() threw: ") + e.what());
      box(instance)->summary_text.clear();
    }
    return box(instance)->summary_text.empty() ? nullptr : box(instance)->summary_text.c_str();
  }
};

}  // namespace detail
}  // namespace hepek

#define HEPEK_PLUGIN(Class, id, version)                                                    \
  extern "C" __attribute__((visibility("default"))) const hepek_plugin* hepek_plugin_entry( \
      uint32_t abi_major, uint32_t abi_minor) {                                             \
    if (abi_major != HEPEK_ABI_MAJOR) return nullptr;                                       \
    (void)abi_minor;                                                                        \
    try {                                                                                   \
      static ::hepek::detail::DescriptorStorage<Class> storage(id, version);                \
      return &storage.descriptor;                                                           \
    } catch (...) {                                                                         \
      return nullptr;                                                                       \
    }                                                                                       \
  }
