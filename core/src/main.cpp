// hepek: the hub binary. Built-in commands run, demo, simulate, config check, plugins list, bus accounts,
// key export, version; every other command is looked up among the plugins' CLI commands.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "cli_options.hpp"
#include "config.hpp"
#include "hub.hpp"
#include "log.hpp"
#include "simulation.hpp"
#include "version.hpp"

namespace {

using namespace hepek::core;

struct Context {
  std::optional<std::string> config_path;  // --config or HEPEK_CONFIG
  std::optional<std::string> data_dir;     // --data-dir or HEPEK_DATA_DIR
};

constexpr const char* kUsage = R"(usage: hepek [--config FILE] [--data-dir DIR] COMMAND [ARGS]

Commands:
  run [--for DURATION]        run the hub (until SIGINT/SIGTERM or the duration: 90s, 5m, 2h)
  demo [--for DURATION]       run the hub on the demo config (the embedded default unless --config)
  simulate --from DATE --days N [--seed S] [--json]
                              lock-step simulation in virtual time
  config check [FILE]         validate a config file against the core's and the plugins' schemas
  plugins list                the plugins that would load, with versions and refusal reasons
  bus accounts                the embedded broker's observer and admin accounts as JSON
  key export [--output FILE]  encrypted backup of the device key (passphrase from HEPEK_KEY_PASSPHRASE)
  version                     print the version
Plugin commands:
)";

ConfigLoad load_selected_config(const Context& context) {
  if (context.config_path) return load_config(*context.config_path);
  return parse_config(embedded_default_config(), "<embedded default config>");
}

void print_errors(const std::vector<ConfigError>& errors) {
  for (const auto& error : errors) std::cerr << error.to_string() << "\n";
}

std::string resolve_data_dir(const Context& context, const HubConfig& config) {
  if (context.data_dir) return *context.data_dir;
  return config.data_dir;
}

// Loads the config, or prints its errors and returns nullopt.
std::optional<HubConfig> config_or_report(const Context& context) {
  ConfigLoad load = load_selected_config(context);
  if (!load.ok()) {
    print_errors(load.errors);
    return std::nullopt;
  }
  Logger::instance().set_threshold(parse_level(load.config->log_level));
  return load.config;
}

int run_hub(const Context& context, std::vector<std::string> args) {
  const auto duration_text = take_option(args, "--for");
  if (!args.empty()) throw std::invalid_argument("unexpected argument \"" + args.front() + "\"");
  std::optional<int64_t> duration;
  if (duration_text) {
    duration = parse_duration_ms(*duration_text);
    if (!duration)
      throw std::invalid_argument("--for \"" + *duration_text + "\" is not a duration like 90s, 5m, 2h");
  }
  auto config = config_or_report(context);
  if (!config) return 1;

  // Signals are taken by one thread with sigwait, so the hub stops cleanly from its own loop.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  HubOptions options;
  options.data_dir = resolve_data_dir(context, *config);
  Hub hub(*config, options);
  hub.discover_plugins();
  for (const auto& refusal : hub.refusals())
    log_warning("plugins", fmt::format("refused {}: {}", refusal.path, refusal.reason));
  for (const auto& error : hub.plan_instances()) log_error("config", error.to_string());
  hub.release_unused_libraries();
  try {
    hub.start();
  } catch (const std::exception& e) {
    log_error("hub", e.what());
    hub.shutdown();
    return 1;
  }
  std::size_t enabled = 0, running = 0;
  for (const auto& instance : config->plugins) enabled += instance.enabled ? 1 : 0;
  for (const auto& instance : hub.instances()) running += instance->state == InstanceState::running ? 1 : 0;
  if (enabled > 0 && running == 0) {
    // Nothing useful would run: say so and fail, so a service manager or script notices.
    log_error("hub",
              fmt::format("none of the {} configured plugin instances could start; stopping", enabled));
    hub.shutdown();
    return 1;
  }
  log_info("hub", fmt::format("HEPEK {} running ({} of {} plugin instances); data in {}", kHepekVersion,
                              running, enabled, options.data_dir));
  std::thread signal_thread([&hub, signals] {
    int received = 0;
    sigwait(&signals, &received);
    if (!hub.loop().stopping()) log_info("hub", fmt::format("signal {} received, shutting down", received));
    hub.stop();
  });
  hub.run(duration);
  hub.shutdown();
  // Wake the signal thread if the hub stopped by itself (duration).
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  log_info("hub", "stopped");
  return 0;
}

int simulate(const Context& context, std::vector<std::string> args) {
  const auto from = take_option(args, "--from");
  const auto days = take_option(args, "--days");
  const auto seed = take_option(args, "--seed");
  const bool json = take_flag(args, "--json");
  const bool quiet = take_flag(args, "--no-progress");
  if (!args.empty()) throw std::invalid_argument("unexpected argument \"" + args.front() + "\"");
  if (!from || !days) throw std::invalid_argument("simulate needs --from DATE and --days N");
  auto config = config_or_report(context);
  if (!config) return 1;
  if (!json) Logger::instance().set_threshold(Level::warning);
  SimulationRequest request;
  request.from = *from;
  request.days = std::stoll(*days);
  request.seed = seed ? std::stoull(*seed) : 1;
  request.data_dir = resolve_data_dir(context, *config) + "/simulation";
  request.progress = !quiet && isatty(STDERR_FILENO);
  nlohmann::json summary;
  try {
    summary = run_simulation(*config, request);
  } catch (const std::runtime_error& e) {
    std::cerr << "hepek simulate: " << e.what() << "\n";
    return 1;
  }
  std::cout << (json ? summary.dump() : summary.dump(2)) << std::endl;
  return 0;
}

// Reports every error of the file at once: the core tables', then every plugin table's against its plugin's
// schema and constraints (the descriptors are loaded as `run` loads them), in file order.
int config_check(const Context& context, std::vector<std::string> args) {
  Context local = context;
  if (!args.empty()) local.config_path = args.front();
  ConfigLoad load = load_selected_config(local);
  std::vector<ConfigError> errors = load.errors;
  if (!load.config) {
    print_errors(errors);
    return 1;
  }
  HubOptions options;
  options.data_dir = resolve_data_dir(local, *load.config);
  Hub hub(*load.config, options);
  hub.discover_plugins();
  const auto plugin_errors = hub.plan_instances();
  errors.insert(errors.end(), plugin_errors.begin(), plugin_errors.end());
  if (!errors.empty()) {
    std::stable_sort(errors.begin(), errors.end(), [](const ConfigError& a, const ConfigError& b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    print_errors(errors);
    return 1;
  }
  std::cout << load.config->file << ": ok (" << hub.instances().size() << " plugin instances)\n";
  return 0;
}

int plugins_list(const Context& context) {
  ConfigLoad load = load_selected_config(context);
  HubConfig config = load.config ? *load.config : HubConfig{};
  HubOptions options;
  Hub hub(config, options);
  hub.discover_plugins();
  for (const auto& [type, library] : hub.libraries()) {
    const auto& d = library->descriptor;
    std::cout << fmt::format("{:<16} {:<32} {:<8} {:<11} {}\n", type, d.id, d.version,
                             d.category ? d.category : "", library->path);
  }
  for (const auto& refusal : hub.refusals())
    std::cout << fmt::format("refused {}: {}\n", refusal.path, refusal.reason);
  if (load.config) {
    for (const auto& error : hub.plan_instances()) std::cout << "config: " << error.to_string() << "\n";
    for (const auto& instance : hub.instances())
      std::cout << fmt::format("instance {:<14} type {:<16} would load\n", instance->id(),
                               instance->library->type);
  }
  return 0;
}

int bus_accounts(const Context& context) {
  auto config = config_or_report(context);
  if (!config) return 1;
  if (!config->broker_address.embedded()) {
    std::cerr << "the bus is an external broker (" << config->broker << "): its accounts are not HEPEK's\n";
    return 1;
  }
  const std::string directory = resolve_data_dir(context, *config) + "/broker";
  std::filesystem::create_directories(directory);
  AccountStore store(directory + "/accounts.json");
  const BrokerAccount observer = store.get_or_create("observer");
  const BrokerAccount admin = store.get_or_create("admin");
  store.save();
  // client_id_prefix: the broker accepts only client ids "<username>" or "<username>-..." (client_id_rule.hpp),
  // e.g. `mosquitto_sub -I observer- ...`.
  const auto describe = [](const BrokerAccount& account) {
    return nlohmann::json{{"username", account.username},
                          {"password", account.password},
                          {"client_id_prefix", account.username + "-"}};
  };
  nlohmann::json out{{"observer", describe(observer)},
                     {"admin", describe(admin)},
                     {"host", config->bind_address},
                     {"port", config->port}};
  std::cout << out.dump(2) << "\n";
  return 0;
}

int key_export(const Context& context, std::vector<std::string> args) {
  const auto output = take_option(args, "--output");
  auto config = config_or_report(context);
  if (!config) return 1;
  const char* passphrase = std::getenv("HEPEK_KEY_PASSPHRASE");
  std::string secret = passphrase ? passphrase : "";
  if (secret.empty() && isatty(STDIN_FILENO)) std::cerr << "backup passphrase: ";
  if (secret.empty()) std::getline(std::cin, secret);
  KeyStore store;
  const std::string key_path = resolve_data_dir(context, *config) + "/keys/device.key";
  if (!std::filesystem::exists(key_path))
    throw std::runtime_error("no device key at " + key_path + " yet (run the hub once)");
  store.open_or_create(key_path);
  const std::string backup = store.export_encrypted(secret);
  if (output) {
    std::ofstream(*output) << backup;
    std::cerr << "encrypted backup of " << store.address() << " written to " << *output << "\n";
  } else {
    std::cout << backup;
  }
  return 0;
}

int plugin_command(const Context& context, const std::vector<std::string>& words) {
  ConfigLoad load = load_selected_config(context);
  HubConfig config = load.config ? *load.config : HubConfig{};
  HubOptions options;
  options.data_dir = resolve_data_dir(context, config);
  Hub hub(config, options);
  hub.discover_plugins();
  if (load.config) hub.plan_instances();
  for (const auto& [type, library] : hub.libraries()) {
    std::size_t matched = 0;
    const hepek_cli_command* command = library->find_command(words, &matched);
    if (!command) continue;
    std::string config_json = "{}";
    std::string instance_data_dir = options.data_dir;
    for (const auto& instance : hub.instances())
      if (instance->library == library) {
        instance_data_dir = options.data_dir + "/plugins/" + instance->id();
        nlohmann::json settings = instance->settings;
        settings["id"] = instance->id();
        config_json = settings.dump();
        break;
      }
    std::vector<std::string> argv_storage{command->name};
    argv_storage.insert(argv_storage.end(), words.begin() + static_cast<std::ptrdiff_t>(matched),
                        words.end());
    std::vector<char*> argv;
    for (auto& arg : argv_storage) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const std::string config_file = context.config_path.value_or("");
    hepek_host* bus = hub.open_cli_context(library, nlohmann::json::parse(config_json), instance_data_dir);
    hepek_command_context command_context{sizeof(hepek_command_context),   config_file.c_str(),
                                          options.data_dir.c_str(),        config_json.c_str(),
                                          bus ? Hub::host_api() : nullptr, bus};
    const int exit_code = command->run(&command_context, static_cast<int>(argv_storage.size()), argv.data());
    hub.close_cli_context();
    return exit_code;
  }
  std::cerr << "hepek: unknown command \"" << words.front() << "\"\n" << kUsage;
  for (const auto& [type, library] : hub.libraries())
    for (uint32_t i = 0; i < library->descriptor.command_count; ++i)
      std::cerr << fmt::format("  {:<26}  {} ({})\n", library->descriptor.commands[i].name,
                               library->descriptor.commands[i].help, type);
  return 2;
}

int usage(const Context& context) {
  std::cout << kUsage;
  ConfigLoad load = load_selected_config(context);
  Hub hub(load.config ? *load.config : HubConfig{}, HubOptions{});
  hub.discover_plugins();
  for (const auto& [type, library] : hub.libraries())
    for (uint32_t i = 0; i < library->descriptor.command_count; ++i)
      std::cout << fmt::format("  {:<26}  {} ({})\n", library->descriptor.commands[i].name,
                               library->descriptor.commands[i].help, type);
  return 0;
}

int dispatch(std::vector<std::string> args) {
  Context context;
  if (const char* env = std::getenv("HEPEK_CONFIG"); env && *env) context.config_path = env;
  if (const char* env = std::getenv("HEPEK_DATA_DIR"); env && *env) context.data_dir = env;
  // Global options before the command word.
  while (!args.empty() && args.front().rfind("--", 0) == 0) {
    if (args.front() == "--help") return usage(context);
    if (auto value = take_option(args, "--config")) {
      context.config_path = value;
      continue;
    }
    if (auto value = take_option(args, "--data-dir")) {
      context.data_dir = value;
      continue;
    }
    if (args.front() == "--version") {
      std::cout << "hepek " << kHepekVersion << "\n";
      return 0;
    }
    throw std::invalid_argument("unknown option \"" + args.front() + "\"");
  }
  if (args.empty()) return usage(context);
  const std::string command = args.front();
  std::vector<std::string> rest(args.begin() + 1, args.end());
  const bool builtin = command == "run" || command == "demo" || command == "simulate" ||
                       command == "config" || command == "plugins" || command == "bus" || command == "key" ||
                       command == "version" || command == "help";
  if (builtin) {
    if (auto value = take_option(rest, "--config")) context.config_path = value;
    if (auto value = take_option(rest, "--data-dir")) context.data_dir = value;
  }
  if (command == "run") return run_hub(context, rest);
  if (command == "demo") return run_hub(context, rest);
  if (command == "simulate") return simulate(context, rest);
  if (command == "config" && !rest.empty() && rest.front() == "check")
    return config_check(context, std::vector<std::string>(rest.begin() + 1, rest.end()));
  if (command == "plugins" && !rest.empty() && rest.front() == "list") return plugins_list(context);
  if (command == "bus" && !rest.empty() && rest.front() == "accounts") return bus_accounts(context);
  if (command == "key" && !rest.empty() && rest.front() == "export")
    return key_export(context, std::vector<std::string>(rest.begin() + 1, rest.end()));
  if (command == "version") {
    std::cout << "hepek " << kHepekVersion << " (plugin ABI " << HEPEK_ABI_MAJOR << "." << HEPEK_ABI_MINOR
              << ", topic contract " << 1 << ")\n";
    return 0;
  }
  if (command == "help") return usage(context);
  return plugin_command(context, args);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return dispatch(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    std::cerr << "hepek: " << e.what() << "\n";
    return 2;
  }
}
