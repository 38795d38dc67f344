// CLI context: for a plugin's CLI command, a bus connection to the running hub's embedded broker with the
// admin account, with the hub event loop on a background thread so the command's callbacks run.
//
// Contract: open_cli_context() returns null (and leaves nothing running) when the bus is external or no
// broker answers within 3 s; close_cli_context() flushes, stops the loop and disconnects; idempotent.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "hub.hpp"
#include "hub_support.hpp"

namespace hepek::core {

using namespace detail;

namespace fs = std::filesystem;

hepek_host* Hub::open_cli_context(const std::shared_ptr<PluginLibrary>& library,
                                  const nlohmann::json& settings, const std::string& data_dir) {
  if (!config_.broker_address.embedded()) return nullptr;
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
  options.on_message = [this, target](const std::string& topic, const std::string& payload, bool retained) {
    loop_.post([this, target, topic, payload, retained] { dispatch(*target, topic, payload, retained); });
  };
  options.on_connect = [this, target] { loop_.post([this, target] { on_instance_connected(*target); }); };
  instance->connection = make_bus_connection("admin", instance->config.id, std::move(options));
  instance->connection->connect();
  if (!wait_connected(*instance->connection, 3000)) {
    instance->connection->disconnect();
    return nullptr;
  }
  instance->alive = true;
  instance->state = InstanceState::running;
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

}  // namespace hepek::core
