#include "source_worker.hpp"

#include <condition_variable>
#include <mutex>

#include <fmt/format.h>

namespace hepek::dsmr {

SourceWorker::SourceWorker(std::unique_ptr<ByteSource> source, WorkerSettings settings, EventHandler on_event,
                           LogHandler on_log)
    : source_(std::move(source)),
      settings_(settings),
      on_event_(std::move(on_event)),
      on_log_(std::move(on_log)) {}

SourceWorker::~SourceWorker() {
  stop();
}

void SourceWorker::start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void SourceWorker::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void SourceWorker::read_until_failure(std::stop_token stop, TelegramStreamReader& reader) {
  source_->open();
  on_log_(Severity::info, "reading " + source_->describe());
  auto last_data = std::chrono::steady_clock::now();
  while (!stop.stop_requested()) {
    const std::string bytes = source_->read_some(settings_.poll_interval);
    const auto now = std::chrono::steady_clock::now();
    if (bytes.empty()) {
      if (now - last_data > settings_.idle_timeout)
        throw std::runtime_error(
            fmt::format("no data from {} for {} ms", source_->describe(), settings_.idle_timeout.count()));
      continue;
    }
    last_data = now;
    for (auto& event : reader.feed(bytes)) on_event_(std::move(event));
  }
}

void SourceWorker::run(std::stop_token stop) {
  std::mutex mutex;
  std::condition_variable_any wake;
  while (!stop.stop_requested()) {
    TelegramStreamReader reader;
    try {
      read_until_failure(stop, reader);
    } catch (const std::exception& error) {
      on_log_(Severity::warning,
              fmt::format("{}; retrying in {} ms", error.what(), settings_.reconnect_delay.count()));
      for (auto& event : reader.finish()) on_event_(std::move(event));  // a telegram cut by the failure
    }
    source_->close();
    std::unique_lock lock(mutex);
    wake.wait_for(lock, stop, settings_.reconnect_delay, [] { return false; });
  }
}

}  // namespace hepek::dsmr
