// The worker thread that owns the Modbus link of one SunSpec device: connect, discover (marker, model chain,
// every model read once), then poll the measurement and control models every poll_ms and hand each decoded
// snapshot to the plugin. Any failure (connect refused, timeout, dropped connection, wrong or missing marker,
// a model chain that changed) closes the link, is reported once per outage with the device and register, and
// is retried after a backoff that doubles from reconnect_min_ms to reconnect_max_ms; a poll that succeeds
// resets it. Registers the device refuses inside a model are not a failure: their points are null.
//
// Thread-safety: the callbacks run on the worker thread, never with the link locked; with_device() may be
// called from any thread (the hub's, for commands): it waits for the poll in progress to finish, then runs
// its action on the link. stop() joins the thread; it is called by the destructor.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <hepek/result.hpp>

#include "device_functions.hpp"
#include "modbus_link.hpp"
#include "plugin_config.hpp"
#include "read_plan.hpp"

namespace hepek::sunspec {

class DevicePoller {
 public:
  struct Callbacks {
    // A (re)discovered device: its map and every model read once.
    std::function<void(const DeviceMap&, const Snapshot&)> discovered;
    // One poll: the measurement and control models.
    std::function<void(const Snapshot&, const PollOutcome&)> polled;
    // The device cannot be read: why (the first failure of an outage, then each one after it).
    std::function<void(const std::string& error, uint64_t consecutive)> failed;
  };

  DevicePoller(PluginConfig config, Callbacks callbacks);
  ~DevicePoller();
  DevicePoller(const DevicePoller&) = delete;
  DevicePoller& operator=(const DevicePoller&) = delete;

  void start();
  void stop();

  // Runs `action` on the connected, discovered device (between polls); fails without running it when the
  // device is offline, naming the last failure.
  Status with_device(const std::function<Status(RegisterWriter&, const DeviceMap&)>& action);

 private:
  void run();
  // One connect/discover/poll step with the link locked; the callbacks to run after unlocking are queued.
  std::string cycle(std::vector<std::function<void()>>& after);
  bool wait(int64_t ms);  // false when stopping

  PluginConfig config_;
  Callbacks callbacks_;
  std::mutex link_mutex_;  // the link, the map, the plan, last_error_
  ModbusLink link_;
  std::optional<DeviceMap> map_;
  std::unique_ptr<ReadPlan> plan_;
  std::vector<ModelLocation> polled_;
  std::string last_error_ = "not connected yet";

  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hepek::sunspec
