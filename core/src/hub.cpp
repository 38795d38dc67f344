#include "hub.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "hepek/command_validation.hpp"
#include "hepek/time.hpp"
#include "hepek/topics.hpp"
#include "log.hpp"
#include "version.hpp"

namespace hepek::core {

namespace fs = std::filesystem;

namespace {

constexpr const char* kHubAccount = "hub";
constexpr std::size_t kErrorCapacity = 1024;

void make_private_directory(const std::string& path) {
  std::error_code error;
  fs::create_directories(path, error);
  if (!fs::is_directory(path)) throw std::runtime_error("cannot create the directory " + path);
  chmod(path.c_str(), 0700);
}

std::string plugin_account(const std::string& instance_id) {
  return "plugin-" + instance_id;
}

uint64_t mix_seed(uint64_t seed, const std::string& id) {
  // FNV-1a over the id, then a splitmix64 finaliser: stable across platforms and runs.
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char ch : id) hash = (hash ^ ch) * 1099511628211ull;
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * (hash | 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void deep_merge(nlohmann::json& into, const nlohmann::json& from) {
  for (const auto& [key, value] : from.items()) {
    if (value.is_object() && into.contains(key) && into[key].is_object())
      deep_merge(into[key], value);
    else
      into[key] = value;
  }
}

bool wait_connected(const BusConnection& connection, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!connection.connected()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace

Hub::Hub(HubConfig config, HubOptions options)
    : config_(std::move(config)),
      options_(std::move(options)),
      loop_(options_.simulation, options_.start_ms) {}

Hub::~Hub() {
  close_cli_context();
  shutdown();
}

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
    instance->settings =
        validate_table(instance_config.settings, instance_config.positions, library->schema,
                       fmt::format("[[plugin]] \"{}\" (type {})", instance_config.id, library->type),
                       config_.file, instance_config.line, instance_config.column, table_errors);
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

BusEndpoint Hub::endpoint_for(const std::string& username) const {
  BusEndpoint endpoint;
  endpoint.keepalive_s = static_cast<int>(config_.keepalive_s);
  if (config_.broker == "embedded") {
    endpoint.host = config_.bind_address == "0.0.0.0" ? "127.0.0.1" : config_.bind_address;
    endpoint.port = static_cast<int>(config_.port);
    endpoint.username = username;
    endpoint.password = accounts_ ? accounts_->get_or_create(username).password : "";
    return endpoint;
  }
  // mqtt://host:port or mqtts://host:port: every connection uses the configured account.
  const bool tls = config_.broker.rfind("mqtts://", 0) == 0;
  std::string rest = config_.broker.substr(tls ? 8 : 7);
  endpoint.tls = tls;
  endpoint.port = tls ? 8883 : 1883;
  if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
    endpoint.port = std::atoi(rest.substr(colon + 1).c_str());
    rest = rest.substr(0, colon);
  }
  endpoint.host = rest;
  endpoint.username = config_.username;
  endpoint.password = config_.password;
  return endpoint;
}

std::unique_ptr<BusConnection> Hub::make_bus_connection(const std::string& username,
                                                        ConnectionOptions options) {
  if (options_.simulation) return local_bus_.connect(std::move(options));
  return make_connection(config_.client, endpoint_for(username), std::move(options));
}

void Hub::start_broker() {
  if (options_.simulation || config_.broker != "embedded") return;
  const std::string directory = options_.data_dir + "/broker";
  make_private_directory(directory);
  accounts_ = std::make_unique<AccountStore>(directory + "/accounts.json");
  std::vector<AccountAcl> acls;
  acls.push_back({kHubAccount, {"#"}, {"#"}});
  acls.push_back({"admin", {"#"}, {"#"}});
  acls.push_back({"observer", {}, {"#"}});
  for (const auto& instance : instances_) acls.push_back(instance->acl);
  broker_ =
      std::make_unique<BrokerSupervisor>(directory, config_.bind_address, static_cast<int>(config_.port));
  broker_->prepare(acls, *accounts_);
  broker_->start();
  log_info("broker",
           fmt::format("embedded Mosquitto listening on {}:{}", config_.bind_address, config_.port));
}

void Hub::start_chain() {
  if (config_.chain_endpoint != "embedded") return;
  const int64_t port = config_.chain.value("port", 8545);
  const int64_t chain_id = config_.chain.value("chain_id", 31337);
  chain_ = std::make_unique<ChainSupervisor>(options_.data_dir + "/chain", "127.0.0.1",
                                             static_cast<int>(port), chain_id, loop_.now_ms() / 1000);
  chain_->start();
  embedded_chain_endpoint_ = chain_->endpoint();
  log_info("chain", fmt::format("embedded anvil (chain id {}) at {}", chain_id, embedded_chain_endpoint_));
}

void Hub::connect_bridge() {
  ConnectionOptions options;
  options.client_id = "hepek-bridge-" + config_.name;
  options.will_topic = std::string(topics::kBridgeState);
  options.will_payload = std::string(topics::kOffline);
  options.on_message = [this](const std::string& topic, const std::string& payload, bool) {
    const std::string prefix = topics::bridge_request("");
    if (topic.rfind(prefix, 0) != 0) return;
    loop_.post([this, name = topic.substr(prefix.size()), payload] { handle_bridge_request(name, payload); });
  };
  options.on_connect = [this] {
    loop_.post([this] {
      if (!bridge_) return;
      bridge_->subscribe(topics::bridge_request("+"), 1);
      bridge_->publish(std::string(topics::kBridgeState), std::string(topics::kOnline), 1, true);
      publish_bridge_info();
    });
  };
  options.on_disconnect = [](const std::string& reason) {
    log_warning("bus", "hub connection lost: " + reason);
  };
  bridge_ = make_bus_connection(kHubAccount, std::move(options));
  bridge_->connect();
  if (!options_.simulation && !wait_connected(*bridge_, 10000))
    log_warning("bus", "the hub's own bus connection is not up yet; it keeps retrying");
  if (!options_.simulation) {
    Logger::instance().set_bus_sink(
        [this](Level level, const std::string& source, const std::string& message) {
          if (!bridge_ || !bridge_->connected()) return;
          nlohmann::json line{{"level", level_name(level)},
                              {"source", source},
                              {"message", message},
                              {"ts", iso8601_utc(loop_.now_ms())}};
          bridge_->publish(std::string(topics::kBridgeLog), line.dump(), 0, false);
        });
  }
}

void Hub::start() {
  if (started_) return;
  started_ = true;
  started_ms_ = loop_.now_ms();
  make_private_directory(options_.data_dir);
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

void Hub::start_instance(Instance& instance) {
  const std::string& id = instance.id();
  instance.data_dir = options_.data_dir + "/plugins/" + id;
  try {
    make_private_directory(instance.data_dir);
  } catch (const std::exception& e) {
    instance.state = "failed";
    instance.reason = e.what();
    log_error(id, instance.reason);
    return;
  }
  ConnectionOptions options;
  options.client_id = "hepek-" + id;
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
  instance.connection = make_bus_connection(instance.acl.username, std::move(options));
  instance.connection->connect();
  if (!options_.simulation && !wait_connected(*instance.connection, 10000)) {
    instance.state = "failed";
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
    instance.state = "failed";
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
    instance.state = "failed";
    instance.reason = fmt::format("start failed: {}", error[0] ? error : "no reason given");
    log_error(id, fmt::format("refused: {} ({})", instance.reason, instance.library->path));
    stop_instance(instance);
    return;
  }
  instance.state = "running";
  instance.connection->publish(topics::availability(id), std::string(topics::kOnline), 1, true);
  log_info(id, fmt::format("started {} {} ({})", descriptor.id, descriptor.version, instance.library->type));
}

void Hub::on_instance_connected(Instance& instance) {
  if (!instance.connection) return;
  std::vector<std::pair<std::string, int>> filters;
  {
    std::lock_guard lock(instance.mutex);
    for (const auto& subscription : instance.subscriptions)
      filters.emplace_back(subscription.filter, subscription.qos);
    for (const auto& [name, device] : instance.devices)
      if (device.handler) filters.emplace_back(topics::set(name), 1);
  }
  for (const auto& [filter, qos] : filters) instance.connection->subscribe(filter, qos);
  if (instance.state == "running")
    instance.connection->publish(topics::availability(instance.id()), std::string(topics::kOnline), 1, true);
}

void Hub::stop_instance(Instance& instance) {
  const bool had_plugin = instance.plugin != nullptr;
  if (had_plugin && instance.state == "running") {
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
  if (instance.state == "running") instance.state = "stopped";
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

bool Hub::bridge_connected() const {
  return bridge_ && bridge_->connected();
}

void Hub::step_all(int32_t phase, int64_t now_ms) {
  for (auto& instance : instances_) {
    if (!instance->alive || instance->state != "running" || !instance->library->descriptor.step) continue;
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

void Hub::dispatch(Instance& instance, const std::string& topic, const std::string& payload, bool retained) {
  std::vector<Subscription> matching;
  AnnouncedDevice* command_device = nullptr;
  {
    std::lock_guard lock(instance.mutex);
    if (!instance.alive) return;
    for (auto& [name, device] : instance.devices)
      if (device.handler && topic == topics::set(name)) command_device = &device;
    for (const auto& subscription : instance.subscriptions)
      if (topics::topic_matches(subscription.filter, topic)) matching.push_back(subscription);
  }
  if (command_device) handle_command(instance, *command_device, payload);
  for (const auto& subscription : matching) {
    {
      std::lock_guard lock(instance.mutex);
      if (!instance.alive) return;
    }
    try {
      subscription.callback(subscription.user, topic.c_str(), payload.data(), payload.size(),
                            retained ? 1 : 0);
    } catch (...) {
      log_error(instance.id(), "a message callback threw an exception across the C ABI");
    }
  }
}

void Hub::handle_command(Instance& instance, AnnouncedDevice& device, const std::string& payload) {
  nlohmann::json result;
  const std::string problem = validate_command(device.metadata, payload);
  if (!problem.empty()) {
    result = {{"ok", false}, {"error", problem}};
  } else {
    const std::string normalized = nlohmann::json::parse(payload).dump();
    char error[kErrorCapacity] = {};
    int32_t status = HEPEK_ERROR;
    try {
      status = device.handler(device.user, device.name.c_str(), normalized.c_str(), error, sizeof error);
    } catch (...) {
      std::snprintf(error, sizeof error, "the device's command handler failed");
    }
    if (status == HEPEK_OK)
      result = {{"ok", true}, {"command", nlohmann::json::parse(normalized)}};
    else
      result = {{"ok", false}, {"error", error[0] ? error : "the device rejected the command"}};
  }
  result["ts"] = iso8601_utc(loop_.now_ms());
  if (!result["ok"].get<bool>())
    log_warning(instance.id(), fmt::format("rejected command on {}: {}", topics::set(device.name),
                                           result["error"].get<std::string>()));
  if (instance.connection)
    instance.connection->publish(topics::set_result(device.name), result.dump(), 1, false);
}

int32_t Hub::publish_from(Instance& instance, const std::string& topic, const std::string& payload, int qos,
                          bool retain) {
  if (!valid_publish_topic(topic) || qos < 0 || qos > 2) return HEPEK_INVALID;
  if (!may_publish(instance.acl, topic)) {
    log_warning(instance.id(),
                fmt::format("denied: publishing to \"{}\" is outside this plugin's ACL", topic));
    return HEPEK_DENIED;
  }
  if (!instance.connection) return HEPEK_UNAVAILABLE;
  return instance.connection->publish(topic, payload, qos, retain) ? HEPEK_OK : HEPEK_UNAVAILABLE;
}

int32_t Hub::subscribe_for(Instance& instance, const std::string& filter, int qos, hepek_message_fn callback,
                           void* user, uint64_t* id) {
  if (!callback || !valid_subscribe_filter(filter)) return HEPEK_INVALID;
  if (!may_subscribe(instance.acl, filter)) {
    log_warning(instance.id(),
                fmt::format("denied: subscribing to \"{}\" is outside this plugin's ACL", filter));
    return HEPEK_DENIED;
  }
  bool first = true;
  uint64_t new_id;
  {
    std::lock_guard lock(instance.mutex);
    new_id = next_subscription_id_++;
    for (const auto& subscription : instance.subscriptions) first = first && subscription.filter != filter;
    instance.subscriptions.push_back({new_id, filter, std::clamp(qos, 0, 2), callback, user});
  }
  if (id) *id = new_id;
  if (instance.connection && (first || options_.simulation)) instance.connection->subscribe(filter, qos);
  return HEPEK_OK;
}

int32_t Hub::unsubscribe_for(Instance& instance, uint64_t id) {
  std::string filter;
  bool last = true;
  {
    std::lock_guard lock(instance.mutex);
    auto& list = instance.subscriptions;
    auto it = std::find_if(list.begin(), list.end(), [&](const Subscription& s) { return s.id == id; });
    if (it == list.end()) return HEPEK_INVALID;
    filter = it->filter;
    list.erase(it);
    for (const auto& subscription : list) last = last && subscription.filter != filter;
  }
  if (last && instance.connection) instance.connection->unsubscribe(filter);
  return HEPEK_OK;
}

int32_t Hub::announce_for(Instance& instance, const std::string& device, const std::string& metadata,
                          hepek_device_command_fn handler, void* user) {
  if (device.empty() || !valid_publish_topic(topics::config(device)) || device.find('/') != std::string::npos)
    return HEPEK_INVALID;
  if (!may_publish(instance.acl, topics::config(device))) {
    log_warning(instance.id(), fmt::format("denied: device \"{}\" is outside this plugin's topics", device));
    return HEPEK_DENIED;
  }
  auto parsed = nlohmann::json::parse(metadata, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    log_error(instance.id(), fmt::format("device \"{}\": its metadata is not a JSON object", device));
    return HEPEK_INVALID;
  }
  {
    std::lock_guard lock(instance.mutex);
    instance.devices[device] = AnnouncedDevice{device, parsed, handler, user};
  }
  const int32_t status = publish_from(instance, topics::config(device), parsed.dump(), 1, true);
  if (handler && instance.connection) instance.connection->subscribe(topics::set(device), 1);
  return status;
}

int32_t Hub::add_timer_for(Instance& instance, uint64_t period_ms, hepek_timer_fn callback, void* user,
                           uint64_t* id) {
  if (!callback || period_ms == 0) return HEPEK_INVALID;
  Instance* target = &instance;
  const uint64_t timer = loop_.add_timer(period_ms, [target, callback, user] {
    {
      std::lock_guard lock(target->mutex);
      if (!target->alive) return;
    }
    try {
      callback(user);
    } catch (...) {
      log_error(target->id(), "a timer callback threw an exception across the C ABI");
    }
  });
  {
    std::lock_guard lock(instance.mutex);
    instance.timers.push_back(timer);
  }
  if (id) *id = timer;
  return HEPEK_OK;
}

int32_t Hub::cancel_timer_for(Instance& instance, uint64_t id) {
  std::lock_guard lock(instance.mutex);
  auto& timers = instance.timers;
  auto it = std::find(timers.begin(), timers.end(), id);
  if (it == timers.end()) return HEPEK_INVALID;
  loop_.cancel_timer(id);
  timers.erase(it);
  return HEPEK_OK;
}

hepek_host* Hub::open_cli_context(const std::shared_ptr<PluginLibrary>& library,
                                  const nlohmann::json& settings, const std::string& data_dir) {
  if (config_.broker != "embedded") return nullptr;
  const std::string accounts_path = options_.data_dir + "/broker/accounts.json";
  if (!fs::exists(accounts_path) || !port_accepts(config_.bind_address, static_cast<int>(config_.port)))
    return nullptr;
  accounts_ = std::make_unique<AccountStore>(accounts_path);
  auto instance = std::make_unique<Instance>();
  instance->config.id = fmt::format("cli-{}", getpid());
  instance->library = library;
  instance->settings = settings;
  instance->data_dir = data_dir;
  instance->acl = {"admin", {"#"}, {"#"}};
  instance->handle = hepek_host{this, instance.get()};
  Instance* target = instance.get();
  ConnectionOptions options;
  options.client_id = "hepek-" + instance->config.id;
  options.on_message = [this, target](const std::string& topic, const std::string& payload, bool retained) {
    loop_.post([this, target, topic, payload, retained] { dispatch(*target, topic, payload, retained); });
  };
  options.on_connect = [this, target] { loop_.post([this, target] { on_instance_connected(*target); }); };
  instance->connection = make_connection(config_.client, endpoint_for("admin"), std::move(options));
  instance->connection->connect();
  if (!wait_connected(*instance->connection, 3000)) {
    instance->connection->disconnect();
    return nullptr;
  }
  instance->alive = true;
  instance->state = "running";
  cli_instance_ = std::move(instance);
  cli_loop_ = std::thread([this] { loop_.run(); });
  return &cli_instance_->handle;
}

void Hub::close_cli_context() {
  if (!cli_instance_) return;
  {
    std::lock_guard lock(cli_instance_->mutex);
    cli_instance_->alive = false;
  }
  cli_instance_->connection->flush(2000);
  loop_.stop();
  if (cli_loop_.joinable()) cli_loop_.join();
  cli_instance_->connection->disconnect();
  cli_instance_.reset();
}

void Hub::fail_instance(Instance& instance, const std::string& reason) {
  log_error(instance.id(), "failed: " + reason);
  {
    std::lock_guard lock(failure_mutex_);
    if (first_failure_.empty()) first_failure_ = instance.id() + ": " + reason;
  }
  loop_.post([this, &instance, reason] {
    instance.state = "failed";
    instance.reason = reason;
    publish_bridge_info();
  });
}

std::string Hub::first_failure() const {
  std::lock_guard lock(failure_mutex_);
  return first_failure_;
}

std::string Hub::chain_endpoint() const {
  if (config_.chain_endpoint == "embedded") return embedded_chain_endpoint_;
  return config_.chain_endpoint;
}

nlohmann::json Hub::plugins_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& instance : instances_) {
    const hepek_plugin& d = instance->library->descriptor;
    nlohmann::json entry{{"id", instance->id()},
                         {"type", instance->library->type},
                         {"plugin", d.id},
                         {"version", d.version},
                         {"category", d.category ? d.category : ""},
                         {"path", instance->library->path},
                         {"state", instance->state}};
    if (!instance->reason.empty()) entry["reason"] = instance->reason;
    list.push_back(entry);
  }
  for (const auto& refused : refused_instances_)
    list.push_back(
        {{"id", refused.id}, {"type", refused.type}, {"state", "refused"}, {"reason", refused.reason}});
  return list;
}

void Hub::publish_bridge_info() {
  if (!bridge_) return;
  nlohmann::json refused = nlohmann::json::array();
  for (const auto& refusal : refusals_)
    refused.push_back({{"path", refusal.path}, {"reason", refusal.reason}});
  nlohmann::json info{{"version", kHepekVersion},
                      {"abi", fmt::format("{}.{}", HEPEK_ABI_MAJOR, HEPEK_ABI_MINOR)},
                      {"topic_contract", topics::kTopicContractVersion},
                      {"name", config_.name},
                      {"broker", config_.broker},
                      {"timezone", config_.timezone},
                      {"plugins", plugins_json()},
                      {"refused", refused}};
  bridge_->publish(std::string(topics::kBridgeInfo), info.dump(), 1, true);
}

nlohmann::json Hub::health_json() {
  nlohmann::json plugins = nlohmann::json::object();
  bool healthy = bridge_connected();
  for (const auto& instance : instances_) {
    const bool connected = instance->connection && instance->connection->connected();
    plugins[instance->id()] = {{"state", instance->state}, {"bus_connected", connected}};
    healthy = healthy && instance->state == "running" && connected;
  }
  nlohmann::json health{{"status", healthy ? "ok" : "degraded"},
                        {"uptime_s", (loop_.now_ms() - started_ms_) / 1000},
                        {"bus_connected", bridge_connected()},
                        {"plugins", plugins}};
  if (chain_)
    health["chain"] = {
        {"mode", "embedded"}, {"running", chain_->running()}, {"endpoint", chain_->endpoint()}};
  if (broker_)
    health["broker"] = {
        {"mode", "embedded"}, {"running", broker_->running()}, {"restarts", broker_->restarts()}};
  else
    health["broker"] = {{"mode", options_.simulation ? "in-process" : config_.broker}};
  return health;
}

void Hub::handle_bridge_request(const std::string& name, const std::string& payload) {
  nlohmann::json response;
  const auto request = nlohmann::json::parse(payload.empty() ? "{}" : payload, nullptr, false);
  if (request.is_discarded()) {
    response = {{"ok", false}, {"error", "malformed JSON request"}};
  } else if (name == "plugins") {
    response = {{"ok", true}, {"plugins", plugins_json()}};
  } else if (name == "health") {
    response = health_json();
    response["ok"] = true;
  } else if (name == "info") {
    publish_bridge_info();
    response = {{"ok", true}};
  } else {
    response = {{"ok", false},
                {"error", fmt::format("unknown bridge request \"{}\"; known: plugins, health, info", name)}};
  }
  if (request.is_object() && request.contains("transaction"))
    response["transaction"] = request["transaction"];
  if (bridge_) bridge_->publish(topics::bridge_response(name), response.dump(), 1, false);
}

}  // namespace hepek::core
