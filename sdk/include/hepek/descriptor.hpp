// The descriptor machinery: HEPEK_PLUGIN(Class, id, version) exports hepek_plugin_entry() and builds, once, the C
// descriptor of abi.h from the plugin class (its config_schema(), cli_commands(), topics(), category and
// description, see plugin_base.hpp), with C trampolines that turn the C calls into calls on the class.
//
// Contract: the descriptor and every string it points to live in a function-local static, so as long as the
// library is loaded. It is built on the first call of the entry point (the hub's loading thread, once). The entry
// returns NULL (the hub refuses the library, naming it) when the host's ABI major differs, or when building the
// descriptor fails, e.g. the config schema contradicts itself (check_schema): the reason is printed on stderr
// as "hepek plugin <id>: <reason>". No exception crosses the C boundary (see plugin_base.hpp for where each goes).
#pragma once

#include <cstdio>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hepek/abi.h"
#include "hepek/cli.hpp"
#include "hepek/config_schema.hpp"
#include "hepek/host.hpp"
#include "hepek/plugin_base.hpp"

namespace hepek::detail {

// Owns the Host and the plugin object of one instance (Host declared first: destroyed last).
struct InstanceBox {
  Host host;
  std::unique_ptr<Plugin> plugin;
  std::string summary_text;
  InstanceBox(const hepek_host_api* api, hepek_host* raw) : host(api, raw) {}
};

template <typename T>
concept HasConfigSchema = requires {
  T::config_schema();
};
template <typename T>
concept HasCliCommands = requires {
  T::cli_commands();
};
template <typename T>
concept HasTopics = requires {
  T::topics();
};
template <typename T>
concept HasCategory = requires {
  T::category;
};
template <typename T>
concept HasDescription = requires {
  T::description;
};

// Static descriptor storage for plugin class T; built once, lives as long as the library. Throws
// std::invalid_argument when the config schema contradicts itself.
template <typename T>
struct DescriptorStorage {
  std::vector<ConfigRow> rows;
  std::vector<hepek_config_row> c_rows;
  std::vector<std::vector<const char*>> c_allowed;  // NULL-terminated value lists, one per constrained row
  std::vector<hepek_config_constraint> c_constraints;
  std::vector<CliCommand> commands;
  std::vector<hepek_cli_command> c_commands;
  std::vector<TopicGrant> topics;
  std::vector<hepek_topic_grant> c_topics;
  hepek_plugin descriptor{};

  DescriptorStorage(const char* id, const char* version) {
    if constexpr (HasConfigSchema<T>) rows = T::config_schema();
    if constexpr (HasCliCommands<T>) commands = T::cli_commands();
    if constexpr (HasTopics<T>) topics = T::topics();
    if (const Status schema = check_schema(rows); !schema) throw std::invalid_argument(schema.error());
    for (const auto& row : rows)
      c_rows.push_back({row.key.c_str(), static_cast<uint32_t>(row.type),
                        row.default_value.empty() ? nullptr : row.default_value.c_str(), row.required ? 1 : 0,
                        row.description.c_str()});
    fill_constraints();
    for (const auto& command : commands) c_commands.push_back({command.name, command.help, command.run});
    for (const auto& topic : topics)
      c_topics.push_back({topic.filter.c_str(), static_cast<uint32_t>(topic.access)});

    descriptor.struct_size = sizeof(hepek_plugin);
    descriptor.abi_major = HEPEK_ABI_MAJOR;
    descriptor.abi_minor = HEPEK_ABI_MINOR;
    descriptor.id = id;
    descriptor.version = version;
    if constexpr (HasCategory<T>)
      descriptor.category = T::category;
    else
      descriptor.category = "other";
    if constexpr (HasDescription<T>)
      descriptor.description = T::description;
    else
      descriptor.description = "";
    descriptor.config_rows = c_rows.data();
    descriptor.config_row_count = static_cast<uint32_t>(c_rows.size());
    descriptor.commands = c_commands.data();
    descriptor.command_count = static_cast<uint32_t>(c_commands.size());
    descriptor.topics = c_topics.data();
    descriptor.topic_count = static_cast<uint32_t>(c_topics.size());
    descriptor.create = &create;
    descriptor.start = &start;
    descriptor.stop = &stop;
    descriptor.destroy = &destroy;
    descriptor.step = &step;
    descriptor.summary = &summary;
    descriptor.config_constraints = c_constraints.empty() ? nullptr : c_constraints.data();
    descriptor.config_constraint_count = static_cast<uint32_t>(c_constraints.size());
    descriptor.config_constraint_size = sizeof(hepek_config_constraint);
  }

  // One constraint row per ConfigRow that has constraints. The pointers point into `rows` and `c_allowed`,
  // which are never resized after this.
  void fill_constraints() {
    size_t constrained = 0;
    for (const auto& row : rows) constrained += row.has_constraints() ? 1 : 0;
    c_allowed.reserve(constrained);
    for (const auto& row : rows) {
      if (!row.has_constraints()) continue;
      const char* const* allowed = nullptr;
      if (!row.allowed.empty()) {
        std::vector<const char*>& list = c_allowed.emplace_back();
        for (const auto& value : row.allowed) list.push_back(value.c_str());
        list.push_back(nullptr);
        allowed = list.data();
      }
      uint32_t flags = 0;
      if (row.minimum) flags |= HEPEK_CONSTRAINT_MINIMUM;
      if (row.minimum && row.exclusive_minimum) flags |= HEPEK_CONSTRAINT_EXCLUSIVE_MINIMUM;
      if (row.maximum) flags |= HEPEK_CONSTRAINT_MAXIMUM;
      c_constraints.push_back({row.key.c_str(), allowed, row.minimum.value_or(0.0), row.maximum.value_or(0.0),
                               flags, row.applies_when.empty() ? nullptr : row.applies_when.c_str()});
    }
  }

  static InstanceBox* box(hepek_instance* instance) { return reinterpret_cast<InstanceBox*>(instance); }

  static int32_t create(const hepek_host_api* api, hepek_host* raw, const char* config_json,
                        hepek_instance** instance, char* error, size_t capacity) {
    try {
      auto holder = std::make_unique<InstanceBox>(api, raw);
      const nlohmann::json config = nlohmann::json::parse(config_json ? config_json : "{}");
      holder->plugin = std::make_unique<T>(holder->host, config);
      *instance = reinterpret_cast<hepek_instance*>(holder.release());
      return HEPEK_OK;
    } catch (const std::exception& e) {
      copy_error(e.what(), error, capacity);
    } catch (...) {
      copy_error("unknown exception in constructor", error, capacity);
    }
    return HEPEK_ERROR;
  }
  static int32_t start(hepek_instance* instance, char* error, size_t capacity) {
    try {
      box(instance)->plugin->start();
      return HEPEK_OK;
    } catch (const std::exception& e) {
      copy_error(e.what(), error, capacity);
    } catch (...) {
      copy_error("unknown exception in start()", error, capacity);
    }
    return HEPEK_ERROR;
  }
  static void stop(hepek_instance* instance) {
    try {
      box(instance)->plugin->stop();
    } catch (const std::exception& e) {
      box(instance)->host.error(std::string("stop() threw: ") + e.what());
    } catch (...) {
      box(instance)->host.error("stop() threw an unknown exception");
    }
  }
  static void destroy(hepek_instance* instance) {
    try {
      delete box(instance);
    } catch (...) {
    }
  }
  static void step(hepek_instance* instance, int32_t phase, int64_t now_ms) {
    try {
      box(instance)->plugin->step(static_cast<Phase>(phase), now_ms);
    } catch (const std::exception& e) {
      box(instance)->host.fail(std::string("step() threw: ") + e.what());
    } catch (...) {
      box(instance)->host.fail("step() threw an unknown exception");
    }
  }
  static const char* summary(hepek_instance* instance) {
    try {
      const nlohmann::json section = box(instance)->plugin->summary();
      box(instance)->summary_text = section.is_null() ? std::string() : section.dump();
    } catch (const std::exception& e) {
      box(instance)->host.error(std::string("summary() threw: ") + e.what());
      box(instance)->summary_text.clear();
    } catch (...) {
      box(instance)->host.error("summary() threw an unknown exception");
      box(instance)->summary_text.clear();
    }
    return box(instance)->summary_text.empty() ? nullptr : box(instance)->summary_text.c_str();
  }
};

// The entry point's body: the descriptor under a host of the same ABI major, else NULL.
template <typename T>
const hepek_plugin* plugin_entry(uint32_t abi_major, const char* id, const char* version) {
  if (abi_major != HEPEK_ABI_MAJOR) return nullptr;
  try {
    static DescriptorStorage<T> storage(id, version);
    return &storage.descriptor;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hepek plugin %s: %s\n", id, e.what());
  } catch (...) {
    std::fprintf(stderr, "hepek plugin %s: building its descriptor failed\n", id);
  }
  return nullptr;
}

}  // namespace hepek::detail

#define HEPEK_PLUGIN(Class, id, version)                                                    \
  extern "C" __attribute__((visibility("default"))) const hepek_plugin* hepek_plugin_entry( \
      uint32_t abi_major, uint32_t) {                                                       \
    return ::hepek::detail::plugin_entry<Class>(abi_major, id, version);                    \
  }
