#include "device_poller.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "model_reading.hpp"

namespace hepek::sunspec {

DevicePoller::DevicePoller(PluginConfig config, Callbacks callbacks)
    : config_(std::move(config)), callbacks_(std::move(callbacks)), link_(config_.link) {}

DevicePoller::~DevicePoller() {
  stop();
}

void DevicePoller::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void DevicePoller::stop() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(link_mutex_);
  link_.close();
}

bool DevicePoller::wait(int64_t ms) {
  std::unique_lock lock(stop_mutex_);
  return !stop_signal_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

void DevicePoller::run() {
  int64_t backoff = config_.reconnect_min_ms;
  uint64_t consecutive = 0;
  while (true) {
    {
      std::lock_guard lock(stop_mutex_);
      if (stopping_) return;
    }
    std::vector<std::function<void()>> after;
    std::string error;
    {
      std::lock_guard lock(link_mutex_);
      error = cycle(after);
      if (!error.empty()) {
        last_error_ = error;
        link_.close();
      }
    }
    for (auto& callback : after) callback();
    if (error.empty()) {
      consecutive = 0;
      backoff = config_.reconnect_min_ms;
      if (!wait(config_.poll_ms)) return;
      continue;
    }
    ++consecutive;
    if (callbacks_.failed) callbacks_.failed(error, consecutive);
    if (!wait(backoff)) return;
    backoff = std::min(backoff * 2, config_.reconnect_max_ms);
  }
}

std::string DevicePoller::cycle(std::vector<std::function<void()>>& after) {
  if (!link_.connected())
    if (const Status connected = link_.connect(); !connected) return connected.error();
  if (!map_) {
    const std::optional<uint32_t> forced =
        config_.base >= 0 ? std::optional<uint32_t>(static_cast<uint32_t>(config_.base)) : std::nullopt;
    const BaseSearch search = find_base(link_, forced);
    if (!search.base) return search.error;
    DeviceMap map = walk_models(link_, *search.base);
    if (map.link_failed)
      return map.notes.empty() ? "the link failed during the model walk" : map.notes.back();
    const auto every = locations_of(map, {});
    RegisterImage image;
    ReadPlan once(plan_blocks(every));
    const PollOutcome outcome = once.execute(link_, image);
    if (outcome.link_failed) return outcome.error;
    Snapshot all = decode_locations(every, image);
    polled_ = locations_of(map, polled_models(map));
    plan_ = std::make_unique<ReadPlan>(plan_blocks(polled_));
    map_ = map;
    after.push_back([this, map = std::move(map), all = std::move(all)] {
      if (callbacks_.discovered) callbacks_.discovered(map, all);
    });
  }
  RegisterImage image;
  PollOutcome outcome = plan_->execute(link_, image);
  if (outcome.link_failed) return outcome.error;
  if (std::string why; !headers_match(polled_, image, why)) {
    map_.reset();
    plan_.reset();
    return link_.describe() + ": " + why;
  }
  Snapshot snapshot = decode_locations(polled_, image);
  after.push_back([this, snapshot = std::move(snapshot), outcome = std::move(outcome)] {
    if (callbacks_.polled) callbacks_.polled(snapshot, outcome);
  });
  return "";
}

Status DevicePoller::with_device(const std::function<Status(RegisterWriter&, const DeviceMap&)>& action) {
  std::lock_guard lock(link_mutex_);
  if (!link_.connected() || !map_)
    return Status::failure(fmt::format("{} is offline: {}", link_.describe(), last_error_));
  Status status = action(link_, *map_);
  if (!link_.connected()) last_error_ = status ? "the link dropped" : status.error();
  return status;
}

}  // namespace hepek::sunspec
