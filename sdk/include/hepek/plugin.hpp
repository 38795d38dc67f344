// The C++ plugin layer, one include: write a class, add one macro.
//
//   #include <hepek/plugin.hpp>
//
//   class MyMeter : public hepek::Plugin {
//    public:
//     MyMeter(hepek::Host& host, const nlohmann::json& config) : Plugin(host) { ... }
//     static std::vector<hepek::ConfigRow> config_schema() {
//       return {{"interval_s", HEPEK_CONFIG_DURATION, "10", false, "Polling period"}};
//     }
//     void start() override {
//       host().every(10'000, [this] { host().publish_state(host().id(), {{"power_w", read()}}); });
//     }
//   };
//   HEPEK_PLUGIN(MyMeter, "org.example.meter", "1.0.0")
//
// One header per concept, each with its own contract:
//   hepek/abi.h            the C ABI: every status each function returns, every string's lifetime
//   hepek/result.hpp       Result<T> and Status, the one error model of the C++ layer
//   hepek/host.hpp         Host: the instance's view of the hub (thread-safe), CommandResult, Message
//   hepek/plugin_base.hpp  Plugin: the base class, its lifecycle and the static declarations it may add
//   hepek/config_schema.hpp ConfigRow: config keys with types, defaults, enums, bounds and role scoping
//   hepek/cli.hpp          CliCommand, CommandContext, HEPEK_CLI
//   hepek/descriptor.hpp   HEPEK_PLUGIN: the C descriptor and trampolines built from the class
//   hepek/entity.hpp, hepek/command_validation.hpp, hepek/topics.hpp, hepek/time.hpp: device metadata, command
//   checks, topic names, ISO 8601 time.
#pragma once

// The standard headers the single plugin.hpp of SDK 1.0 included, kept so plugins that relied on them still build.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "hepek/abi.h"
#include "hepek/cli.hpp"
#include "hepek/config_schema.hpp"
#include "hepek/descriptor.hpp"
#include "hepek/entity.hpp"
#include "hepek/host.hpp"
#include "hepek/plugin_base.hpp"
#include "hepek/result.hpp"
#include "hepek/time.hpp"
#include "hepek/topics.hpp"
