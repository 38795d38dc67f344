// An in-process stand-in for the hub's side of the plugin ABI (hepek_host_api), recording what a plugin
// instance publishes, announces and logs, so the built plugin library can be loaded and driven through its C
// entry point before and independently of the core. Thread-safe: plugins publish from their own threads.
#pragma once

#include <dlfcn.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <hepek/abi.h>

namespace hepek::dsmr::test_data {

struct Published {
  std::string topic;
  std::string payload;
  bool retain = false;
};

struct Timer {
  uint64_t period_ms;
  hepek_timer_fn callback;
  void* user;
};

class TestHost {
 public:
  std::string id = "grid_meter";
  bool simulation = false;
  int64_t now = 1'700'000'000'000;

  const hepek_host_api* api() const { return make_api(); }
  hepek_host* handle() { return reinterpret_cast<hepek_host*>(this); }

  // Every message and announcement in the order they happened ("config" entries are announcements).
  std::vector<Published> messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  std::vector<std::pair<int, std::string>> logs() const {
    std::lock_guard lock(mutex_);
    return logs_;
  }
  std::vector<Timer> timers() const {
    std::lock_guard lock(mutex_);
    return timers_;
  }
  std::vector<std::string> states() const {
    std::vector<std::string> out;
    for (const auto& m : messages())
      if (m.topic == "hepek/" + id + "/state") out.push_back(m.payload);
    return out;
  }
  // Waits until `count` states were published or the timeout passed; returns whether they were.
  bool wait_for_states(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
      std::size_t n = 0;
      for (const auto& m : messages_) n += m.topic == "hepek/" + id + "/state";
      return n >= count;
    });
  }

 private:
  static TestHost& self(hepek_host* host) { return *reinterpret_cast<TestHost*>(host); }
  static const char* instance_id(hepek_host* host) { return self(host).id.c_str(); }
  static void log(hepek_host* host, int32_t level, const char* message) {
    std::lock_guard lock(self(host).mutex_);
    self(host).logs_.emplace_back(level, message);
  }
  static int32_t publish(hepek_host* host, const char* topic, const void* payload, size_t length, int32_t,
                         int32_t retain) {
    {
      std::lock_guard lock(self(host).mutex_);
      self(host).messages_.push_back(
          {topic, std::string(static_cast<const char*>(payload), length), retain != 0});
    }
    self(host).changed_.notify_all();
    return HEPEK_OK;
  }
  static int32_t subscribe(hepek_host*, const char*, int32_t, hepek_message_fn, void*, uint64_t*) {
    return HEPEK_UNAVAILABLE;
  }
  static int32_t unsubscribe(hepek_host*, uint64_t) { return HEPEK_OK; }
  static int32_t announce_device(hepek_host* host, const char* device, const char* metadata,
                                 hepek_device_command_fn, void*) {
    return publish(host, ("hepek/" + std::string(device) + "/config").c_str(), metadata,
                   std::strlen(metadata), 1, 1);
  }
  static int64_t now_ms(hepek_host* host) { return self(host).now; }
  static int32_t add_timer(hepek_host* host, uint64_t period_ms, hepek_timer_fn callback, void* user,
                           uint64_t* timer) {
    std::lock_guard lock(self(host).mutex_);
    self(host).timers_.push_back({period_ms, callback, user});
    *timer = self(host).timers_.size();
    return HEPEK_OK;
  }
  static int32_t cancel_timer(hepek_host*, uint64_t) { return HEPEK_OK; }
  static const char* data_dir(hepek_host*) { return "/tmp"; }
  static const char* timezone(hepek_host*) { return "Europe/Amsterdam"; }
  static int32_t key_address(hepek_host*, char*, size_t) { return HEPEK_UNAVAILABLE; }
  static int32_t sign_digest(hepek_host*, const char*, const uint8_t*, uint8_t*) { return HEPEK_UNAVAILABLE; }
  static int32_t is_simulation(hepek_host* host) { return self(host).simulation ? 1 : 0; }
  static const char* chain_endpoint(hepek_host*) { return ""; }
  static uint64_t random_seed(hepek_host*) { return 1; }
  static const char* hub_settings_json(hepek_host*) {
    return R"({"name":"test","timezone":"Europe/Amsterdam","latitude":52.37,"longitude":4.9,"step_s":900})";
  }
  static void fail(hepek_host* host, const char* reason) { log(host, HEPEK_LOG_ERROR, reason); }

  // Filled in by name: functions the ABI appends later stay null here, which is what an older host would
  // offer.
  static const hepek_host_api* make_api() {
    static const hepek_host_api api = [] {
      hepek_host_api table{};
      table.struct_size = sizeof(hepek_host_api);
      table.abi_major = HEPEK_ABI_MAJOR;
      table.abi_minor = HEPEK_ABI_MINOR;
      table.instance_id = &instance_id;
      table.log = &log;
      table.publish = &publish;
      table.subscribe = &subscribe;
      table.unsubscribe = &unsubscribe;
      table.announce_device = &announce_device;
      table.now_ms = &now_ms;
      table.add_timer = &add_timer;
      table.cancel_timer = &cancel_timer;
      table.data_dir = &data_dir;
      table.timezone = &timezone;
      table.key_address = &key_address;
      table.sign_digest = &sign_digest;
      table.is_simulation = &is_simulation;
      table.chain_endpoint = &chain_endpoint;
      table.random_seed = &random_seed;
      table.hub_settings_json = &hub_settings_json;
      table.fail = &fail;
      return table;
    }();
    return &api;
  }

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Published> messages_;
  std::vector<std::pair<int, std::string>> logs_;
  std::vector<Timer> timers_;
};

// The plugin library, loaded with dlopen as the hub loads it.
class LoadedPlugin {
 public:
  explicit LoadedPlugin(const char* path) : library_(dlopen(path, RTLD_NOW | RTLD_LOCAL)) {
    if (!library_) throw std::runtime_error(std::string("dlopen: ") + dlerror());
    auto entry = reinterpret_cast<hepek_plugin_entry_fn>(dlsym(library_, HEPEK_ENTRY_SYMBOL));
    if (!entry) throw std::runtime_error("no " HEPEK_ENTRY_SYMBOL);
    descriptor_ = entry(HEPEK_ABI_MAJOR, HEPEK_ABI_MINOR);
    if (!descriptor_) throw std::runtime_error("the plugin refused ABI " + std::to_string(HEPEK_ABI_MAJOR));
  }
  ~LoadedPlugin() { dlclose(library_); }
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  const hepek_plugin& descriptor() const { return *descriptor_; }

 private:
  void* library_;
  const hepek_plugin* descriptor_ = nullptr;
};

// One instance: created from a JSON config, started, and stopped + destroyed at scope end.
class Instance {
 public:
  Instance(const hepek_plugin& plugin, TestHost& host, const std::string& config) : plugin_(plugin) {
    char error[512] = {};
    if (plugin.create(host.api(), host.handle(), config.c_str(), &instance_, error, sizeof error) != HEPEK_OK)
      throw std::runtime_error(error);
  }
  ~Instance() {
    if (started_) plugin_.stop(instance_);
    plugin_.destroy(instance_);
  }
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  void start() {
    char error[512] = {};
    if (plugin_.start(instance_, error, sizeof error) != HEPEK_OK) throw std::runtime_error(error);
    started_ = true;
  }
  void step(hepek_phase phase, int64_t now_ms) { plugin_.step(instance_, phase, now_ms); }

 private:
  const hepek_plugin& plugin_;
  hepek_instance* instance_ = nullptr;
  bool started_ = false;
};

}  // namespace hepek::dsmr::test_data
