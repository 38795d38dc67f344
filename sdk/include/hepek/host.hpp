// hepek::Host: one plugin instance's view of the hub, a C++ wrapper over the host API table of abi.h.
//
//   host.publish_state(host.id(), {{"power_w", 420}});             // retained hepek/<id>/state, "ts" added
//   host.subscribe("hepek/tariff/prices", [](const hepek::Message& m) { ... });
//   host.every(60'000, [this] { poll(); });                         // hub clock: virtual in a simulation
//   host.announce(device, [](const nlohmann::json& command) -> hepek::CommandResult { return {}; });
//   if (auto signature = host.sign("balance-proof", digest); !signature) host.warn(signature.error());
//
// Errors (see result.hpp): calls that can fail at run time return a Status or a Result whose text says what was
// refused and why (publish, publish_json, publish_state, unsubscribe, cancel, key_store_address, sign). The setup
// calls subscribe, every and announce throw HostError instead: when they fail the instance cannot work, and
// thrown from a constructor or start() that refuses the instance with the message. A handler that throws is
// caught here: the message is logged (and a command is rejected with it); it never crosses the C boundary.
//
// Thread-safety: every method may be called from any thread, including a plugin's own threads, as long as the
// Host lives (the SDK destroys it after the plugin object, so a plugin must join its threads in stop() or its
// destructor). The handlers themselves always run on the hub's one event thread, one at a time, never
// concurrently with start(), stop(), step() or another handler of the same hub.
//
// Host API versions: the table's struct_size is checked before calling a function appended after the first ABI
// 1.0 table (random_seed, hub_settings_json, fail); each method below says what it does on a host without it.
// The constructor refuses (std::invalid_argument) a table too small to hold even the 1.0 functions.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hepek/abi.h"
#include "hepek/entity.hpp"
#include "hepek/result.hpp"
#include "hepek/time.hpp"
#include "hepek/topics.hpp"

namespace hepek {

enum class LogLevel : int32_t {
  debug = HEPEK_LOG_DEBUG,
  info = HEPEK_LOG_INFO,
  warning = HEPEK_LOG_WARNING,
  error = HEPEK_LOG_ERROR
};

// One bus message as a handler sees it; the views are valid only during the handler call.
struct Message {
  std::string_view topic;
  std::string_view payload;
  bool retained = false;
};

// What a device command handler returns: accepted, or rejected with a message the hub publishes on
// hepek/<device>/set/result. It is a Status; `return {};` accepts, `return hepek::Status::failure("...")` rejects.
// For source compatibility with SDK 1.0 (where it was a string) a string converts too: empty = accepted, any
// other text = rejected with that text.
class CommandResult : public Status {
 public:
  CommandResult() = default;
  CommandResult(Status status) : Status(std::move(status)) {}  // NOLINT: implicit on purpose
  CommandResult(const std::string& error)                      // NOLINT: SDK 1.0 compatibility
      : Status(error.empty() ? Status::success() : Status::failure(error, HEPEK_INVALID)) {}
  CommandResult(const char* error) : CommandResult(std::string(error ? error : "")) {}  // NOLINT
  static CommandResult accepted() { return {}; }
  static CommandResult rejected(std::string error) {
    return Status::failure(std::move(error), HEPEK_INVALID);
  }
};

// A recoverable secp256k1 signature: r || s || v, v in {0, 1}, low-s.
using Signature = std::array<uint8_t, 65>;

// Thrown by Host's setup calls (subscribe, every, announce) when the host refuses; status() says how.
class HostError : public std::runtime_error {
 public:
  explicit HostError(Status status) : std::runtime_error(status.error()), status_(std::move(status)) {}
  const Status& status() const { return status_; }

 private:
  Status status_;
};

namespace detail {
inline void copy_error(const std::string& message, char* error, size_t capacity) {
  if (!error || capacity == 0) return;
  const size_t n = std::min(message.size(), capacity - 1);
  std::memcpy(error, message.data(), n);
  error[n] = '\0';
}
}  // namespace detail

class Host {
 public:
  // The host API size of the first ABI 1.0 hub (every function up to chain_endpoint); smaller is refused.
  static constexpr size_t kMinimumApiSize = offsetof(hepek_host_api, random_seed);

  Host(const hepek_host_api* api, hepek_host* host) : api_(api), host_(host) {
    if (!api_ || !host_) throw std::invalid_argument("the hub passed no host API (null table or handle)");
    if (api_->struct_size < kMinimumApiSize)
      throw std::invalid_argument(
          "the hub's host API is too small (struct_size " + std::to_string(api_->struct_size) + " < " +
          std::to_string(kMinimumApiSize) + " of ABI 1.0): not a HEPEK hub this SDK can run on");
  }
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  // The instance id (its [[plugin]] id).
  std::string id() const { return api_->instance_id(host_); }
  void log(LogLevel level, const std::string& message) const {
    api_->log(host_, static_cast<int32_t>(level), message.c_str());
  }
  void debug(const std::string& message) const { log(LogLevel::debug, message); }
  void info(const std::string& message) const { log(LogLevel::info, message); }
  void warn(const std::string& message) const { log(LogLevel::warning, message); }
  void error(const std::string& message) const { log(LogLevel::error, message); }

  // Publishes to the bus. Fails with HEPEK_INVALID (malformed topic, qos not 0..2), HEPEK_DENIED (outside the
  // instance's ACL; the hub also logs it) or HEPEK_UNAVAILABLE (not connected; a simulation never is).
  Status publish(std::string_view topic, std::string_view payload, int qos = 1, bool retain = false) const {
    const std::string t(topic);
    return host_status(api_->publish(host_, t.c_str(), payload.data(), payload.size(), qos, retain ? 1 : 0),
                       "publishing to \"" + t + "\"");
  }
  Status publish_json(std::string_view topic, const nlohmann::json& payload, int qos = 1,
                      bool retain = false) const {
    return publish(topic, payload.dump(), qos, retain);
  }
  // Publishes a device state (retained, hepek/<device>/state) with "ts" (the hub clock, ISO 8601 UTC) added
  // when missing.
  Status publish_state(std::string_view device, nlohmann::json state) const {
    if (!state.contains("ts")) state["ts"] = iso8601_utc(now_ms());
    return publish_json(topics::state(device), state, 1, true);
  }

  using MessageHandler = std::function<void(const Message&)>;
  // Subscribes `handler` to a topic filter; returns the subscription id. Throws HostError when the filter is
  // malformed (HEPEK_INVALID) or outside the ACL (HEPEK_DENIED).
  uint64_t subscribe(std::string_view filter, MessageHandler handler, int qos = 1) {
    uint64_t id = 0;
    const std::string f(filter);
    void* user = keep(std::move(handler), message_handlers_);
    throw_unless(api_->subscribe(host_, f.c_str(), qos, &Host::on_message, user, &id),
                 "subscribing to \"" + f + "\"");
    return id;
  }
  // Fails with HEPEK_INVALID when `subscription` is not one of this instance's.
  Status unsubscribe(uint64_t subscription) {
    return host_status(api_->unsubscribe(host_, subscription),
                       "unsubscribing subscription " + std::to_string(subscription));
  }

  using CommandHandler = std::function<CommandResult(const nlohmann::json& command)>;
  // Announces a device's entity metadata (retained hepek/<device>/config); `handler` receives only commands that
  // fit the declared command schemas (the hub answers the others itself). Throws HostError when the device
  // name is malformed (HEPEK_INVALID), outside the plugin's topics (HEPEK_DENIED) or the announcement cannot
  // be published (HEPEK_UNAVAILABLE).
  void announce(const Device& device, CommandHandler handler = {}) {
    hepek_device_command_fn callback = nullptr;
    void* user = nullptr;
    if (handler) {
      user = keep(std::move(handler), command_handlers_);
      callback = &Host::on_command;
    }
    const std::string metadata = device.to_json().dump();
    throw_unless(api_->announce_device(host_, device.name.c_str(), metadata.c_str(), callback, user),
                 "announcing device \"" + device.name + "\"");
  }

  // The hub clock (real or virtual) in milliseconds since the Unix epoch.
  int64_t now_ms() const { return api_->now_ms(host_); }
  // Calls `callback` every period_ms on the hub clock; returns the timer id. Throws HostError when period_ms
  // is 0 (HEPEK_INVALID).
  uint64_t every(uint64_t period_ms, std::function<void()> callback) {
    uint64_t id = 0;
    void* user = keep(std::move(callback), timer_handlers_);
    throw_unless(api_->add_timer(host_, period_ms, &Host::on_timer, user, &id),
                 "adding a timer every " + std::to_string(period_ms) + " ms");
    return id;
  }
  // Fails with HEPEK_INVALID when `timer` is not one of this instance's (or was cancelled already).
  Status cancel(uint64_t timer) {
    return host_status(api_->cancel_timer(host_, timer), "cancelling timer " + std::to_string(timer));
  }

  // The instance's own data directory (exists, mode 0700).
  std::string data_dir() const { return api_->data_dir(host_); }
  // The home's IANA time zone, e.g. "Europe/Amsterdam".
  std::string timezone() const { return api_->timezone(host_); }
  bool is_simulation() const { return api_->is_simulation(host_) != 0; }
  // The Ethereum JSON-RPC URL of [chain], or empty when the config has no chain.
  std::string chain_endpoint() const { return api_->chain_endpoint(host_); }

  // Seed for this instance's random numbers (from --seed and the instance id): reproducible runs. On a host
  // without random_seed: a hash of the instance id (still reproducible, but the same for every --seed).
  uint64_t random_seed() const {
    if (HEPEK_HOST_API_HAS(api_, random_seed)) return api_->random_seed(host_);
    uint64_t hash = 1469598103934665603ull;  // FNV-1a
    for (const unsigned char c : id()) hash = (hash ^ c) * 1099511628211ull;
    return hash;
  }
  // {"name","timezone","latitude","longitude","location","step_s"} of the hub's [hub] table. Throws std::runtime_error on a
  // host without hub_settings_json (a plugin that needs the home's location or step cannot guess them).
  nlohmann::json hub_settings() const {
    if (!HEPEK_HOST_API_HAS(api_, hub_settings_json))
      throw std::runtime_error(missing_function("hub_settings_json"));
    return nlohmann::json::parse(api_->hub_settings_json(host_));
  }
  // Marks the instance failed with `reason` (a simulation stops with it; see hepek_host_api::fail). On a host
  // without fail: logs the reason as an error, and the instance carries on.
  void fail(const std::string& reason) const {
    if (HEPEK_HOST_API_HAS(api_, fail))
      api_->fail(host_, reason.c_str());
    else
      error("cannot go on: " + reason + " (" + missing_function("fail") + ")");
  }

  // The device key's address (0x + 40 hex, EIP-55). Fails with HEPEK_UNAVAILABLE when the hub has no key store.
  Result<std::string> key_store_address() const {
    char buffer[64] = {};
    const int32_t code = api_->key_address(host_, buffer, sizeof buffer);
    if (code != HEPEK_OK)
      return Result<std::string>::failure(host_status(code, "reading the key address").error());
    return Result<std::string>::success(buffer);
  }
  // SDK 1.0 form of key_store_address(): the address, or empty when unavailable.
  std::string key_address() const { return key_store_address().value_or(std::string()); }
  // Signs a 32-byte digest with the device key for `purpose`. Fails when the purpose was not granted to this
  // instance in config (denied), or the hub has no key store (unavailable).
  Result<Signature> sign(const std::string& purpose, const uint8_t* digest32) const {
    Signature signature{};
    const int32_t code = api_->sign_digest(host_, purpose.c_str(), digest32, signature.data());
    if (code != HEPEK_OK) {
      const std::string why =
          code == HEPEK_DENIED ? " (grant it: grants = [\"" + purpose + "\"] in its [[plugin]] table)" : "";
      return Result<Signature>::failure(host_status(code, "signing for purpose \"" + purpose + "\"").error() +
                                        why);
    }
    return Result<Signature>::success(signature);
  }

  // The raw C table and handle, for code that talks to the ABI directly.
  const hepek_host_api* raw_api() const { return api_; }
  hepek_host* raw_host() const { return host_; }

 private:
  static Status host_status(int32_t code, const std::string& what) {
    if (code == HEPEK_OK) return Status::success();
    const char* why = code == HEPEK_DENIED        ? "outside this instance's ACL or grants"
                      : code == HEPEK_INVALID     ? "a malformed argument"
                      : code == HEPEK_UNAVAILABLE ? "not possible now (bus disconnected or no key store)"
                                                  : "the hub could not do it (see its log)";
    return Status::failure(what + " was refused: " + status_name(code) + ", " + why, code);
  }
  static void throw_unless(int32_t code, const std::string& what) {
    if (code != HEPEK_OK) throw HostError(host_status(code, what));
  }
  std::string missing_function(const char* name) const {
    return std::string("this hub's host API (ABI ") + std::to_string(api_->abi_major) + "." +
           std::to_string(api_->abi_minor) + ", struct_size " + std::to_string(api_->struct_size) +
           ") has no " + name + "(); upgrade the hub";
  }

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
      result = CommandResult::rejected(std::string("command failed on ") + device + ": " + e.what());
    } catch (...) {
      result = CommandResult::rejected(std::string("command failed on ") + device);
    }
    if (result.ok()) return HEPEK_OK;
    detail::copy_error(result.error(), error, capacity);
    return result.code() == HEPEK_OK ? HEPEK_INVALID : result.code();
  }

  template <typename F>
  struct Slot {
    F function;
    const Host* owner;
  };
  // Keeps a handler alive as long as the Host (the hub may call it until the instance is destroyed). Slots are
  // never removed, so the pointer handed to the hub stays valid; the mutex makes concurrent setup calls safe.
  template <typename F>
  void* keep(F function, std::vector<std::unique_ptr<Slot<F>>>& slots) {
    auto slot = std::make_unique<Slot<F>>(Slot<F>{std::move(function), this});
    void* user = slot.get();
    const std::lock_guard lock(slots_mutex_);
    slots.push_back(std::move(slot));
    return user;
  }

  const hepek_host_api* api_;
  hepek_host* host_;
  std::mutex slots_mutex_;  // guards the three slot vectors
  std::vector<std::unique_ptr<Slot<MessageHandler>>> message_handlers_;
  std::vector<std::unique_ptr<Slot<CommandHandler>>> command_handlers_;
  std::vector<std::unique_ptr<Slot<std::function<void()>>>> timer_handlers_;
};

}  // namespace hepek
