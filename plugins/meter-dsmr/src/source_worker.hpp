// Reads a ByteSource on its own thread, cuts and parses telegrams (TelegramStreamReader) and hands every
// accepted or rejected telegram to a callback. Keeps the link up: after an error, end of stream or
// `idle_timeout` without a byte it closes the source, drops the telegram in progress (reported as a truncated
// rejection), waits `reconnect_delay` and opens it again, until stop().
//
// Contract: callbacks run on the worker thread, one at a time, in stream order; they must not call stop().
// stop() (also called by the destructor) returns after the thread has ended, within about `poll_interval`.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>

#include "byte_source.hpp"
#include "stream_reader.hpp"

namespace hepek::dsmr {

struct WorkerSettings {
  std::chrono::milliseconds reconnect_delay{5000};
  std::chrono::milliseconds idle_timeout{30000};
  std::chrono::milliseconds poll_interval{250};
};

class SourceWorker {
 public:
  enum class Severity { info, warning };
  using EventHandler = std::function<void(StreamEvent&&)>;
  using LogHandler = std::function<void(Severity, const std::string&)>;

  SourceWorker(std::unique_ptr<ByteSource> source, WorkerSettings settings, EventHandler on_event,
               LogHandler on_log);
  ~SourceWorker();
  SourceWorker(const SourceWorker&) = delete;
  SourceWorker& operator=(const SourceWorker&) = delete;

  void start();
  void stop();

 private:
  void run(std::stop_token stop);
  void read_until_failure(std::stop_token stop, TelegramStreamReader& reader);

  std::unique_ptr<ByteSource> source_;
  WorkerSettings settings_;
  EventHandler on_event_;
  LogHandler on_log_;
  std::jthread thread_;
};

}  // namespace hepek::dsmr
