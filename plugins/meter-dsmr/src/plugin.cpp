// The meter-dsmr plugin (org.hepek.meter.dsmr): reads a DSMR P1 port (serial, TCP or a replayed file),
// publishes the meter's state on hepek/<id>/state with its entity metadata on hepek/<id>/config, and brings
// the `hepek dsmr parse` command. Serial and TCP are read on a worker thread (Host methods are thread-safe);
// a file is replayed on a hub timer, or one telegram per sense step in a lock-step simulation. A rejected
// telegram is counted and logged with its reason, never published as a reading; one accepted with lines left
// out (a line the parser could not read) is published without them, counted, and its lines logged.
#include <algorithm>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <hepek/plugin.hpp>

#include "file_replay.hpp"
#include "meter_state.hpp"
#include "parse_command.hpp"
#include "plugin_config.hpp"
#include "serial_port.hpp"
#include "source_worker.hpp"
#include "tcp_client.hpp"

namespace hepek::dsmr {
namespace {

int parse_cli(const hepek::CommandContext&, const std::vector<std::string>& args) {
  return run_parse_command(args, std::cout, std::cerr);
}

// After this many, only every 100th rejection is logged: a meter stuck sending bad telegrams must not flood
// the log.
constexpr uint64_t kRejectionsAlwaysLogged = 20;

}  // namespace

class DsmrMeter : public hepek::Plugin {
 public:
  static constexpr const char* category = "meter";
  static constexpr const char* description =
      "DSMR P1 smart meter (DSMR 2.2-5, Belgian/Luxembourg e-MUCS) over serial, TCP or file replay";

  static std::vector<hepek::ConfigRow> config_schema() { return MeterConfig::schema(); }
  static std::vector<hepek::CliCommand> cli_commands() {
    return {
        HEPEK_CLI("dsmr parse", "Parse P1 telegram files and print one JSON line per telegram", parse_cli)};
  }

  DsmrMeter(hepek::Host& host, const nlohmann::json& config)
      : Plugin(host), config_(MeterConfig::from_json(config)) {
    if (config_.source == MeterConfig::Source::file) replay_ = FileReplay::load(config_.path, config_.loop);
  }
  ~DsmrMeter() override { stop(); }

  void start() override {
    if (config_.source == MeterConfig::Source::file) {
      start_replay();
      return;
    }
    if (host().is_simulation())
      host().warn(
          "a live P1 link in a simulation: its readings follow the wall clock, not the simulated one");
    if (config_.source == MeterConfig::Source::serial)
      start_worker(std::make_unique<SerialPort>(config_.serial));
    else
      start_worker(std::make_unique<TcpClient>(config_.host, config_.port));
  }

  void stop() override {
    if (worker_) worker_->stop();
    if (timer_) host().cancel(std::exchange(timer_, 0));
  }

  void step(hepek::Phase phase, int64_t /*now_ms*/) override {
    if (phase == hepek::Phase::sense && replay_ && host().is_simulation()) replay_next();
  }

 private:
  void start_worker(std::unique_ptr<ByteSource> source) {
    worker_ = std::make_unique<SourceWorker>(
        std::move(source), config_.worker, [this](StreamEvent&& event) { handle(event); },
        [this](SourceWorker::Severity severity, const std::string& message) {
          if (severity == SourceWorker::Severity::warning)
            host().warn(message);
          else
            host().info(message);
        });
    worker_->start();
  }

  void start_replay() {
    const bool simulation = host().is_simulation();
    host().info(fmt::format(
        "replaying {} telegrams from {}{}, {}", replay_->size(), config_.path,
        config_.loop ? " in a loop" : "",
        simulation ? "one per simulation step" : fmt::format("one every {} ms", config_.interval_ms)));
    // In a simulation the sense steps drive the replay (step()), so it follows virtual time.
    if (!simulation)
      timer_ = host().every(static_cast<uint64_t>(config_.interval_ms), [this] { replay_next(); });
  }

  void replay_next() {
    const StreamEvent* event = replay_->next();
    if (event) {
      handle(*event);
    } else if (!replay_done_) {
      replay_done_ = true;
      host().info(fmt::format("replay of {} finished after {} telegrams", config_.path, replay_->size()));
    }
  }

  void handle(const StreamEvent& event) {
    std::lock_guard lock(mutex_);
    if (!event.ok()) {
      ++rejected_;
      if (rejected_ <= kRejectionsAlwaysLogged || rejected_ % 100 == 0)
        host().warn(fmt::format("rejected telegram #{} ({} accepted so far): {}", rejected_, accepted_,
                                event.describe_error()));
      return;
    }
    ++accepted_;
    const auto& problems = event.telegram->problems;
    if (!problems.empty()) {
      ++with_problems_;
      if (with_problems_ <= kRejectionsAlwaysLogged || with_problems_ % 100 == 0)
        for (const auto& problem : problems)
          host().warn(fmt::format("telegram #{} accepted, line {} left out or cleaned: {}: {}", accepted_,
                                  event.first_line + static_cast<std::size_t>(problem.line) - 1,
                                  problem.message, problem.text));
    }
    nlohmann::json state = meter_state(*event.telegram);
    state["telegrams_accepted"] = accepted_;
    state["telegrams_rejected"] = rejected_;
    state["telegrams_with_problems"] = with_problems_;
    announce_fields_of(state, event.telegram->header);
    host().publish_state(host().id(), std::move(state));
  }

  // Announces the device before its first state, and again when a telegram brings fields not announced yet (a
  // gas meter paired later) or the meter changes.
  void announce_fields_of(const nlohmann::json& state, const std::string& header) {
    bool changed = header != announced_header_;
    for (const auto& item : state.items()) changed |= announced_fields_.insert(item.key()).second;
    if (!changed) return;
    announced_header_ = header;
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& field : announced_fields_) fields[field] = nullptr;
    host().announce(meter_device(host().id(), fields, header));
  }

  MeterConfig config_;
  std::optional<FileReplay> replay_;
  uint64_t timer_ = 0;
  bool replay_done_ = false;

  std::mutex mutex_;  // handle() runs on the worker thread for serial/TCP, on the hub thread for files
  uint64_t accepted_ = 0;
  uint64_t rejected_ = 0;
  uint64_t with_problems_ = 0;  // accepted, but with lines left out (Telegram::problems)
  std::set<std::string> announced_fields_;
  std::string announced_header_;

  std::unique_ptr<SourceWorker> worker_;  // last: its thread ends before the members it uses are destroyed
};

}  // namespace hepek::dsmr

HEPEK_PLUGIN(hepek::dsmr::DsmrMeter, "org.hepek.meter.dsmr", "1.0.0")
