// The hub's lifecycle: construction, start (data directories, key store, broker, chain, bridge, instances),
// the real-time run loop, lock-step stepping and the simulation summary, and orderly shutdown.
#include "hub.hpp"

#include <fmt/format.h>

#include "hepek/topics.hpp"
#include "hub_support.hpp"
#include "log.hpp"

namespace hepek::core {

using namespace detail;

Hub::Hub(HubConfig config, HubOptions options)
    : config_(std::move(config)),
      options_(std::move(options)),
      loop_(options_.simulation, options_.start_ms) {}

Hub::~Hub() {
  close_cli_context();
  shutdown();
}

void Hub::start() {
  if (started_) return;
  lock_data_dir();  // throws, before any other file there is touched, when in use
  started_ = true;
  started_ms_ = loop_.now_ms();
  make_private_directory(options_.data_dir + "/plugins");
  make_private_directory(options_.data_dir + "/keys");
  key_store_.open_or_create(options_.data_dir + "/keys/device.key");
  start_broker();
  start_chain();
  connect_bridge();
  for (auto& instance : instances_) start_instance(*instance);
  if (!options_.simulation) publish_bridge_info();
  loop_.drain();
}

void Hub::run(std::optional<int64_t> duration_ms) {
  if (duration_ms) loop_.add_timer(static_cast<uint64_t>(*duration_ms), [this] { loop_.stop(); });
  loop_.run();
}

void Hub::stop() {
  loop_.stop();
}

void Hub::shutdown() {
  if (shut_down_ || !started_) return;
  shut_down_ = true;
  for (auto it = instances_.rbegin(); it != instances_.rend(); ++it) stop_instance(**it);
  Logger::instance().set_bus_sink({});
  if (bridge_) {
    if (bridge_->connected()) {
      bridge_->publish(std::string(topics::kBridgeState), std::string(topics::kOffline), 1, true);
      bridge_->flush(2000);
    }
    bridge_->disconnect();
    bridge_.reset();
  }
  if (chain_) chain_->stop();
  if (broker_) broker_->stop();
  loop_.drain();
}

void Hub::step_all(int32_t phase, int64_t now_ms) {
  for (auto& instance : instances_) {
    if (!instance->alive || instance->state != InstanceState::running || !instance->library->descriptor.step)
      continue;
    try {
      instance->library->descriptor.step(instance->plugin, phase, now_ms);
    } catch (...) {
      log_error(instance->id(), "step() threw an exception across the C ABI");
    }
  }
}

nlohmann::json Hub::summary() {
  nlohmann::json merged = nlohmann::json::object();
  for (auto& instance : instances_) {
    if (!instance->alive || !instance->library->descriptor.summary) continue;
    const char* text = instance->library->descriptor.summary(instance->plugin);
    if (!text) continue;
    const auto section = nlohmann::json::parse(text, nullptr, false);
    if (section.is_object())
      deep_merge(merged, section);
    else
      log_warning(instance->id(), "summary() did not return a JSON object; ignored");
  }
  return merged;
}

}  // namespace hepek::core
