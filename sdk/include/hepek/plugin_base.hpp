// hepek::Plugin: the base class of a plugin instance, and the static declarations a plugin class may add.
//
//   class MyMeter : public hepek::Plugin {
//    public:
//     MyMeter(hepek::Host& host, const nlohmann::json& config);     // config is validated, defaults filled in
//     static std::vector<hepek::ConfigRow> config_schema();         // optional (config_schema.hpp)
//     static std::vector<hepek::CliCommand> cli_commands();         // optional: HEPEK_CLI(...) (cli.hpp)
//     static std::vector<hepek::TopicGrant> topics();               // optional: shared topics beyond hepek/<id>/...
//     static constexpr const char* category = "meter";              // optional
//     static constexpr const char* description = "...";             // optional
//     void start() override;                                        // optional
//     void stop() override;                                         // optional
//     void step(hepek::Phase phase, std::int64_t now_ms) override;  // optional: lock-step simulation
//     nlohmann::json summary() override;                            // optional: simulation summary section
//   };
//   HEPEK_PLUGIN(MyMeter, "org.example.meter", "1.0.0")             // descriptor.hpp
//
// Lifecycle (see hepek_plugin in abi.h): constructor, start(), then callbacks and step()s, stop(), destructor.
// Every one of them runs on the hub's event thread, one at a time.
//
// Errors: an exception thrown by the constructor or start() refuses the instance with its message (after a failed
// start(), stop() is not called but the destructor is). An exception from step() fails the instance (Host::fail) with its message; from
// stop(), summary() or a handler, it is logged. None crosses the C boundary.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "hepek/abi.h"
#include "hepek/host.hpp"

namespace hepek {

// Lock-step phases of one step, in order (hepek_phase).
enum class Phase : int32_t { sense = HEPEK_PHASE_SENSE, decide = HEPEK_PHASE_DECIDE, act = HEPEK_PHASE_ACT };

// A topic filter beyond the instance's own hepek/<id>/... topics ("{id}" and "{config key}" are substituted).
struct TopicGrant {
  std::string filter;
  hepek_access access = HEPEK_ACCESS_BOTH;
};

class Plugin {
 public:
  explicit Plugin(Host& host) : host_(host) {}
  virtual ~Plugin() = default;
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  virtual void start() {}
  virtual void stop() {}
  virtual void step(Phase, int64_t /*now_ms*/) {}
  // A JSON object merged into the simulation summary, or null for none.
  virtual nlohmann::json summary() { return nullptr; }

 protected:
  Host& host() const { return host_; }

 private:
  Host& host_;
};

}  // namespace hepek
