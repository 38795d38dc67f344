// Instance manager: finds plugin libraries, plans one instance per enabled [[plugin]] table (schema-checked,
// ACL derived from the descriptor's topic grants), and starts, stops and fails instances.
//
// Contract: discover_plugins() and plan_instances() have no side effects beyond loading libraries;
// start_instance(), stop_instance() and on_instance_connected() run on the hub thread. A refused or failed
// instance keeps a reason for hepek/bridge/info; the others carry on.
#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "hepek/topics.hpp"
#include "hub.hpp"
#include "hub_support.hpp"
#include "log.hpp"

namespace hepek::core {

using namespace detail;

namespace fs = std::filesystem;

void Hub::discover_plugins() {
  // Configured directories first, so a user's own build of a plugin shadows the one shipped with the hub.
  std::vector<std::string> directories = config_.plugin_dirs;
  directories.push_back(builtin_plugin_dir());
  for (const auto& path : find_plugin_files(directories)) {
    PluginOpen opened = open_plugin(path);
    if (!opened.library) {
      refusals_.push_back(opened.refusal);
      continue;
    }
    const std::string type = opened.library->type;
    if (libraries_.count(type)) {
      refusals_.push_back({path, fmt::format("shadowed: plugin type \"{}\" is already loaded from {}", type,
                                             libraries_[type]->path)});
      continue;
    }
    libraries_[type] = std::move(opened.library);
  }
}

void Hub::release_unused_libraries() {
  // An instance holds its library's shared_ptr; the map's is then not the only one.
  std::erase_if(libraries_, [](const auto& entry) { return entry.second.use_count() == 1; });
}

std::vector<ConfigError> Hub::plan_instances() {
  std::vector<ConfigError> errors;
  refused_instances_.clear();
  for (const auto& instance_config : config_.plugins) {
    if (!instance_config.enabled) continue;
    const std::size_t errors_before = errors.size();
    auto refuse_on_new_errors = [&] {
      std::string reason;
      for (std::size_t i = errors_before; i < errors.size(); ++i)
        reason += (reason.empty() ? "" : "; ") + errors[i].to_string();
      refused_instances_.push_back({instance_config.id, instance_config.type, reason});
    };
    if (instance_config.refusal) {
      errors.push_back(*instance_config.refusal);
      refuse_on_new_errors();
      continue;
    }
    std::shared_ptr<PluginLibrary> library;
    if (auto it = libraries_.find(instance_config.type); it != libraries_.end()) library = it->second;
    for (const auto& [type, candidate] : libraries_)
      if (!library && instance_config.type == candidate->descriptor.id) library = candidate;
    if (!library) {
      std::string reason = fmt::format("plugin \"{}\": no plugin of type \"{}\" is available",
                                       instance_config.id, instance_config.type);
      for (const auto& refusal : refusals_)
        if (fs::path(refusal.path).stem().string() == "hepek-" + instance_config.type)
          reason += fmt::format(" ({} {})", refusal.path, refusal.reason);
      std::string known;
      for (const auto& [type, candidate] : libraries_) known += (known.empty() ? "" : ", ") + type;
      reason += "; available types: " + (known.empty() ? std::string("(none)") : known);
      errors.push_back({config_.file, instance_config.line, instance_config.column, reason});
      refuse_on_new_errors();
      continue;
    }
    auto instance = std::make_unique<Instance>();
    instance->config = instance_config;
    instance->library = library;
    std::vector<ConfigError> table_errors;
    instance->settings = validate_table(
        instance_config.settings, instance_config.positions, library->schema,
        fmt::format("[[plugin]] \"{}\" (type {})", instance_config.id, library->type), config_.file,
        instance_config.line, instance_config.column, table_errors, config_.directory);
    if (!table_errors.empty()) {
      errors.insert(errors.end(), table_errors.begin(), table_errors.end());
      refuse_on_new_errors();
      continue;
    }
    instance->settings_text = instance->settings.dump();
    instance->seed = mix_seed(options_.seed, instance_config.id);
    instance->handle = hepek_host{this, instance.get()};
    instance->acl = plugin_acl(plugin_account(instance_config.id), instance_config.id,
                               expand_grants(*instance, HEPEK_ACCESS_PUBLISH),
                               expand_grants(*instance, HEPEK_ACCESS_SUBSCRIBE));
    instances_.push_back(std::move(instance));
  }
  return errors;
}

std::vector<std::string> Hub::expand_grants(const Instance& instance, hepek_access access) const {
  std::vector<std::string> filters;
  const hepek_plugin& descriptor = instance.library->descriptor;
  for (uint32_t i = 0; i < descriptor.topic_count; ++i) {
    const hepek_topic_grant& grant = descriptor.topics[i];
    if (!grant.filter || !(grant.access & access)) continue;
    std::string filter = grant.filter;
    bool complete = true;
    std::size_t open;
    while ((open = filter.find('{')) != std::string::npos) {
      const std::size_t close = filter.find('}', open);
      if (close == std::string::npos) {
        complete = false;
        break;
      }
      const std::string key = filter.substr(open + 1, close - open - 1);
      std::string value;
      if (key == "id")
        value = instance.config.id;
      else if (instance.settings.contains(key) && instance.settings[key].is_string())
        value = instance.settings[key];
      if (value.empty()) {
        complete = false;
        break;
      }
      filter.replace(open, close - open + 1, value);
    }
    if (complete && valid_subscribe_filter(filter)) filters.push_back(filter);
  }
  return filters;
}

void Hub::start_instance(Instance& instance) {
  const std::string& id = instance.id();
  instance.data_dir = options_.data_dir + "/plugins/" + id;
  try {
    make_private_directory(instance.data_dir);
  } catch (const std::exception& e) {
    instance.state = InstanceState::failed;
    instance.reason = e.what();
    log_error(id, instance.reason);
    return;
  }
  ConnectionOptions options;
  options.will_topic = topics::availability(id);
  options.will_payload = std::string(topics::kOffline);
  Instance* target = &instance;
  options.on_message = [this, target](const std::string& topic, const std::string& payload, bool retained) {
    loop_.post([this, target, topic, payload, retained] { dispatch(*target, topic, payload, retained); });
  };
  options.on_connect = [this, target] { loop_.post([this, target] { on_instance_connected(*target); }); };
  options.on_disconnect = [id](const std::string& reason) {
    log_warning(id, "bus connection lost: " + reason);
  };
  instance.connection = make_bus_connection(instance.acl.username, plugin_account(id), std::move(options));
  instance.connection->connect();
  if (!options_.simulation && !wait_connected(*instance.connection, 10000)) {
    instance.state = InstanceState::failed;
    instance.reason = "cannot connect to the bus";
    log_error(id, fmt::format("refused: {} ({})", instance.reason, instance.library->path));
    instance.connection->disconnect();
    return;
  }

  char error[kErrorCapacity] = {};
  const hepek_plugin& descriptor = instance.library->descriptor;
  instance.alive = true;
  int32_t status = HEPEK_ERROR;
  try {
    status = descriptor.create(host_api(), &instance.handle, instance.settings_text.c_str(), &instance.plugin,
                               error, sizeof error);
  } catch (...) {
    std::snprintf(error, sizeof error, "create() threw an exception across the C ABI");
  }
  if (status != HEPEK_OK || !instance.plugin) {
    instance.alive = false;
    instance.plugin = nullptr;
    instance.state = InstanceState::failed;
    instance.reason = fmt::format("init failed: {}", error[0] ? error : "no reason given");
    log_error(id, fmt::format("refused: {} ({})", instance.reason, instance.library->path));
    stop_instance(instance);
    return;
  }
  try {
    status = descriptor.start(instance.plugin, error, sizeof error);
  } catch (...) {
    status = HEPEK_ERROR;
    std::snprintf(error, sizeof error, "start() threw an exception across the C ABI");
  }
  if (status != HEPEK_OK) {
    instance.state = InstanceState::failed;
    instance.reason = fmt::format("start failed: {}", error[0] ? error : "no reason given");
    log_error(id, fmt::format("refused: {} ({})", instance.reason, instance.library->path));
    stop_instance(instance);
    return;
  }
  instance.state = InstanceState::running;
  instance.connection->publish(topics::availability(id), std::string(topics::kOnline), 1, true);
  log_info(id, fmt::format("started {} {} ({})", descriptor.id, descriptor.version, instance.library->type));
}

void Hub::on_instance_connected(Instance& instance) {
  if (!instance.connection) return;
  std::vector<std::pair<std::string, int>> filters;
  {
    std::lock_guard lock(instance.mutex);
    // Each filter once, however many handlers share it: a repeated SUBSCRIBE re-sends its retained messages.
    std::set<std::string> seen;
    for (const auto& subscription : instance.subscriptions)
      if (seen.insert(subscription.filter).second)
        filters.emplace_back(subscription.filter, subscription.qos);
    instance.subscriptions_replayed = true;  // from now on subscribe_for() sends new filters itself
    for (const auto& [name, device] : instance.devices)
      if (device.handler) filters.emplace_back(topics::set(name), 1);
  }
  for (const auto& [filter, qos] : filters) instance.connection->subscribe(filter, qos);
  if (instance.state == InstanceState::running)
    instance.connection->publish(topics::availability(instance.id()), std::string(topics::kOnline), 1, true);
}

void Hub::stop_instance(Instance& instance) {
  const bool had_plugin = instance.plugin != nullptr;
  if (had_plugin && instance.state == InstanceState::running) {
    try {
      instance.library->descriptor.stop(instance.plugin);
    } catch (...) {
      log_error(instance.id(), "stop() threw an exception across the C ABI");
    }
  }
  {
    std::lock_guard lock(instance.mutex);
    instance.alive = false;
    for (uint64_t timer : instance.timers) loop_.cancel_timer(timer);
    instance.timers.clear();
  }
  if (instance.connection) {
    if (instance.connection->connected()) {
      instance.connection->publish(topics::availability(instance.id()), std::string(topics::kOffline), 1,
                                   true);
      instance.connection->flush(2000);
    }
    instance.connection->disconnect();
  }
  // Only now nothing can call into the plugin any more: destroy it; its library stays loaded while we hold
  // it.
  if (had_plugin) {
    try {
      instance.library->descriptor.destroy(instance.plugin);
    } catch (...) {
    }
    instance.plugin = nullptr;
  }
  {
    std::lock_guard lock(instance.mutex);
    instance.subscriptions.clear();
    instance.devices.clear();
  }
  if (instance.state == InstanceState::running) instance.state = InstanceState::stopped;
}

void Hub::fail_instance(Instance& instance, const std::string& reason) {
  log_error(instance.id(), "failed: " + reason);
  {
    std::lock_guard lock(failure_mutex_);
    if (first_failure_.empty()) first_failure_ = instance.id() + ": " + reason;
  }
  loop_.post([this, &instance, reason] {
    instance.state = InstanceState::failed;
    instance.reason = reason;
    publish_bridge_info();
  });
}

std::string Hub::first_failure() const {
  std::lock_guard lock(failure_mutex_);
  return first_failure_;
}

}  // namespace hepek::core
