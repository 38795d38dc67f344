// The worker thread that owns one libgps connection to gpsd: open the socket, ?WATCH (JSON, optionally one
// device), then read reports and hand each TPV, mapped to a Fix, to the plugin. gpsd going away (connection
// refused, closed, a read error) is reported and retried after a backoff that doubles from reconnect_min_ms to
// reconnect_max_ms; a connection whose WATCH gpsd acknowledged resets it. What gpsd sends never stops the
// thread: a line libgps cannot use, an ERROR report or an implausible TPV is a counted, reported error.
//
// Thread-safety: the callbacks run on the worker thread, one at a time. start() once; stop() (also called by
// the destructor) wakes the thread and joins it within about one poll interval (poll_ms).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "gps_fix.hpp"

namespace hepek::gps {

struct ReaderSettings {
  std::string host = "localhost";
  int port = 2947;
  std::string device;  // empty: every device gpsd has
  int64_t reconnect_min_ms = 500;
  int64_t reconnect_max_ms = 30'000;
  int poll_ms = 250;             // how long one wait for data lasts (bounds how quickly stop() returns)
  std::string describe() const;  // "gpsd at host:port[ device]"
};

class GpsdReader {
 public:
  struct Callbacks {
    // gpsd acknowledged the WATCH: reports follow. `release` is gpsd's version.
    std::function<void(const std::string& release)> watching;
    std::function<void(const Fix&)> report;
    // A message that could not be used (the libgps error or gpsd's ERROR text, the line's start).
    std::function<void(const std::string& error)> bad_input;
    // gpsd cannot be reached or went away: why, and how many attempts in a row failed.
    std::function<void(const std::string& why, uint64_t consecutive)> lost;
  };

  GpsdReader(ReaderSettings settings, Callbacks callbacks);
  ~GpsdReader();
  GpsdReader(const GpsdReader&) = delete;
  GpsdReader& operator=(const GpsdReader&) = delete;

  void start();
  void stop();

 private:
  void run();
  // One connection, from gps_open to gps_close; returns why it ended (empty when stopping).
  std::string session(bool& watched);
  bool wait(int64_t ms);  // false when stopping
  bool stopping();

  ReaderSettings settings_;
  Callbacks callbacks_;
  std::mutex mutex_;
  std::condition_variable signal_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hepek::gps
