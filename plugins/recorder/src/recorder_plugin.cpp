// The recorder plugin (type "recorder", id org.hepek.recorder): records every device's state into SQLite,
// driven by the entity metadata the devices announce, and answers history queries on the bus.
//
//   hepek/+/config              entity metadata (retained): which fields to record, their units and state
//   classes hepek/+/state               states: every recorded numeric field becomes a sample at the state's
//   "ts" hepek/<id>/request/<req>    a query (see query_protocol.hpp), answered on hepek/<id>/response/<req>,
//                               a long history in pages of at most max_points points (each reply < 1 MiB)
//
// Samples are buffered and written in batches (batch_size, or every flush_ms of hub time, and on stop); raw
// samples older than keep_raw_days are pruned hourly, the 15-minute aggregates are kept for ever. Bad input
// (garbage JSON, non-numeric values) is logged and skipped; a failed write is logged and retried with the
// next flush.
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include <fmt/format.h>
#include <hepek/json_limits.hpp>
#include <hepek/plugin.hpp>

#include "device_metadata.hpp"
#include "history_export.hpp"
#include "query_protocol.hpp"
#include "recorder_store.hpp"
#include "state_samples.hpp"

namespace hepek::recorder {
namespace {

constexpr int64_t kPruneEveryMs = 3'600'000;
constexpr int64_t kSimulationFlushMs = 3'600'000;
constexpr int kWarningsLoggedPerDevice = 10;
// A point is at most 54 bytes of JSON (["<24-character time>",<a double in at most 24 characters>],), so a page
// of 10,000 is at most 540,000 bytes plus the names: well inside the contract's 1 MiB message limit.
constexpr std::size_t kMaxPagePoints = 10'000;

// "hepek/<device>/<suffix>" -> <device>, or empty when the topic has another shape.
std::string device_of(std::string_view topic, std::string_view suffix) {
  const std::string_view prefix = "hepek/";
  if (topic.substr(0, prefix.size()) != prefix || topic.size() <= prefix.size() + suffix.size() + 1)
    return {};
  if (topic.substr(topic.size() - suffix.size()) != suffix) return {};
  const std::string_view device =
      topic.substr(prefix.size(), topic.size() - prefix.size() - suffix.size() - 1);
  if (device.find('/') != std::string_view::npos || topic[topic.size() - suffix.size() - 1] != '/') return {};
  return std::string(device);
}

int export_command(const CommandContext& context, const std::vector<std::string>& args) {
  ExportEnvironment environment{context.data_dir, {}, {}};
  if (context.config.is_object()) {
    environment.database_name = context.config.value("database", std::string());
    environment.instance = context.config.value("id", std::string());
  }
  return run_history_export(environment, args, std::cout, std::cerr);
}

}  // namespace

class Recorder : public Plugin {
 public:
  static constexpr const char* category = "storage";
  static constexpr const char* description = "Records device states in SQLite and answers history queries";

  static std::vector<ConfigRow> config_schema() {
    return {
        {"database", HEPEK_CONFIG_STRING, "\"recorder.db\"", false,
         "Database file name inside the instance's data directory (or an absolute path)"},
        ConfigRow{"batch_size", HEPEK_CONFIG_INTEGER, "500", false,
                  "Samples buffered before one write transaction"}
            .between(1, 1'000'000),
        ConfigRow{"flush_ms", HEPEK_CONFIG_INTEGER, "5000", false,
                  "Longest time (hub clock) a sample waits in the buffer"}
            .at_least(1),
        ConfigRow{"keep_raw_days", HEPEK_CONFIG_INTEGER, "10", false,
                  "Days of raw samples kept; 15-minute aggregates are kept for ever"}
            .at_least(1),
        ConfigRow{"max_points", HEPEK_CONFIG_INTEGER, "10000", false,
                  "Most points in one reply (page) of a bus query; more come in further pages"}
            .between(1, static_cast<double>(kMaxPagePoints)),
    };
  }
  static std::vector<CliCommand> cli_commands() {
    return {HEPEK_CLI("history export",
                      "Export recorded history as CSV: --device D --from T --to T [--fields a,b] "
                      "[--resolution raw|15m|1h|1d] [--output FILE] [--simulation]",
                      export_command)};
  }
  static std::vector<TopicGrant> topics() {
    return {{"hepek/+/config", HEPEK_ACCESS_SUBSCRIBE},
            {"hepek/+/state", HEPEK_ACCESS_SUBSCRIBE},
            {"hepek/{id}/request/+", HEPEK_ACCESS_SUBSCRIBE},
            {"hepek/{id}/response/+", HEPEK_ACCESS_PUBLISH}};
  }

  Recorder(Host& host, const nlohmann::json& config) : Plugin(host) {
    database_name_ = config.value("database", std::string(kDefaultDatabaseName));
    if (database_name_.empty()) throw std::invalid_argument("database must name a file");
    const auto batch_size = config.value("batch_size", int64_t{500});
    flush_ms_ = config.value("flush_ms", int64_t{5000});
    const auto keep_raw_days = config.value("keep_raw_days", int64_t{10});
    const auto max_points = config.value("max_points", static_cast<int64_t>(kMaxPagePoints));
    if (batch_size < 1 || batch_size > 1'000'000)
      throw std::invalid_argument(fmt::format("batch_size must be 1..1000000, got {}", batch_size));
    if (flush_ms_ < 1)
      throw std::invalid_argument(fmt::format("flush_ms must be positive, got {}", flush_ms_));
    if (keep_raw_days < 1)
      throw std::invalid_argument(fmt::format("keep_raw_days must be at least 1, got {}", keep_raw_days));
    if (max_points < 1 || max_points > static_cast<int64_t>(kMaxPagePoints))
      throw std::invalid_argument(
          fmt::format("max_points must be 1..{}, got {}", kMaxPagePoints, max_points));
    options_.batch_size = static_cast<std::size_t>(batch_size);
    options_.keep_raw_ms = keep_raw_days * kDayMs;
    max_points_ = static_cast<std::size_t>(max_points);
  }

  void start() override {
    const std::string path = database_path();
    store_ = std::make_unique<RecorderStore>(path, options_);
    for (auto& device : store_->load_devices()) catalog_.emplace(device.name, std::move(device));
    host().info(fmt::format("database {} ({} known devices)", path, catalog_.size()));

    subscriptions_.push_back(
        host().subscribe("hepek/+/config", [this](const Message& message) { on_config(message); }));
    subscriptions_.push_back(
        host().subscribe("hepek/+/state", [this](const Message& message) { on_state(message); }));
    subscriptions_.push_back(host().subscribe(topics::device(host().id()) + "/request/+",
                                              [this](const Message& message) { on_request(message); }));
    // In a simulation nobody waits on the clock for data to reach the disk (queries flush first), and a flush
    // per virtual flush_ms would mean a transaction per step: flush at most hourly there, and whenever a
    // batch fills.
    const int64_t period = host().is_simulation() ? std::max(flush_ms_, kSimulationFlushMs) : flush_ms_;
    timer_ = host().every(static_cast<uint64_t>(period), [this] { flush_and_prune(); });
    flush_and_prune();
  }

  void stop() override {
    // Nothing may arrive after the final flush: those samples would wait in the buffer until destruction.
    for (const uint64_t subscription : subscriptions_) host().unsubscribe(subscription);
    subscriptions_.clear();
    if (timer_) host().cancel(timer_);
    timer_ = 0;
    if (!store_) return;
    try {
      const std::size_t written = store_->flush();
      host().info(fmt::format("stopped; flushed {} samples, {} recorded in this run, {} states skipped",
                              written, recorded_, skipped_states_));
    } catch (const std::exception& e) {
      host().error(fmt::format("final flush of {} samples failed: {}", store_->pending(), e.what()));
    }
  }

 private:
  // host().data_dir() is this instance's own directory (<hub data dir>/plugins/<id>/), as the CLI expects.
  std::string database_path() const {
    const std::filesystem::path name(database_name_);
    return name.is_absolute() ? name.string() : (std::filesystem::path(host().data_dir()) / name).string();
  }

  void on_config(const Message& message) {
    const std::string device = device_of(message.topic, "config");
    if (device.empty()) return;
    if (message.payload.empty()) {  // retained config cleared: the device is gone; its history stays
      catalog_.erase(device);
      return;
    }
    auto parsed = parse_device_metadata(device, message.payload);
    if (!parsed) {
      warn_about(device, parsed.error());
      return;
    }
    try {
      store_->upsert_device(parsed.value(), host().now_ms());
    } catch (const std::exception& e) {
      host().error(fmt::format("cannot store metadata of device '{}': {}", device, e.what()));
    }
    catalog_.insert_or_assign(device, std::move(parsed).value());
  }

  void on_state(const Message& message) {
    const std::string device = device_of(message.topic, "state");
    const auto known = catalog_.find(device);
    if (known == catalog_.end())
      return;  // no metadata (e.g. hepek/bridge/state): nothing says what to record
    auto state = samples_from_state(known->second, message.payload, host().now_ms());
    if (!state) {
      ++skipped_states_;
      warn_about(device, state.error());
      return;
    }
    if (!state->warning.empty()) warn_about(device, state->warning);
    for (const auto& skipped : state->skipped)
      warn_about(device, fmt::format("state of device '{}': {}", device, skipped));
    // A retained state seen on (re)subscribing was usually recorded already; one without its own time is
    // stale.
    if (message.retained && (!state->time_from_state || store_->already_recorded(device, state->ts_ms)))
      return;
    try {
      for (auto sample : std::move(state).value().samples) {
        ++recorded_;
        store_->add(std::move(sample));
      }
    } catch (const std::exception& e) {
      host().error(
          fmt::format("writing a batch failed ({} samples kept for retry): {}", store_->pending(), e.what()));
    }
  }

  void on_request(const Message& message) {
    const std::string prefix = topics::device(host().id()) + "/request/";
    if (message.topic.substr(0, prefix.size()) != prefix) return;
    const std::string request_id(message.topic.substr(prefix.size()));
    const std::string response_topic = topics::device(host().id()) + "/response/" + request_id;
    SeriesQuery defaults;
    defaults.timezone = host().timezone().empty() ? "UTC" : host().timezone();
    defaults.page_points = max_points_;
    nlohmann::json response;
    const auto query = parse_query_request(message.payload, defaults);
    if (!query) {
      response = query_error(query.error());
    } else {
      try {
        const auto result = store_->query(query.value());
        response = result ? query_response(result.value(), query.value()) : query_error(result.error());
      } catch (const std::exception& e) {
        response = query_error(fmt::format("database error: {}", e.what()));
      }
    }
    std::string text = response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    // A page is bounded by its points, but field names and units are the devices' own: should a page still be
    // over the contract's size limit (the broker would drop it), say so instead of answering with silence.
    if (text.size() > json_limits::kMaxBytes)
      text = query_error(fmt::format("the reply of {} bytes is over the {}-byte message limit; ask for fewer "
                                     "fields or a smaller \"limit\"",
                                     text.size(), json_limits::kMaxBytes))
                 .dump();
    host().publish(response_topic, text, 1, false);
  }

  void flush_and_prune() {
    try {
      store_->flush();
      const int64_t now = host().now_ms();
      if (now - last_prune_ms_ >= kPruneEveryMs) {
        last_prune_ms_ = now;
        if (const std::size_t pruned = store_->prune_raw(now); pruned > 0)
          host().info(fmt::format("pruned {} raw samples older than the retention", pruned));
      }
    } catch (const std::exception& e) {
      host().error(fmt::format("flush failed ({} samples kept for retry): {}", store_->pending(), e.what()));
    }
  }

  // The first few problems of a device are logged, then every 1000th, so a broken device cannot flood the
  // log.
  void warn_about(const std::string& device, const std::string& text) {
    const int64_t count = ++warnings_[device];
    if (count <= kWarningsLoggedPerDevice || count % 1000 == 0)
      host().warn(fmt::format(
          "{}{}", text,
          count == kWarningsLoggedPerDevice ? " (further warnings for this device are thinned)" : ""));
  }

  std::string database_name_;
  StoreOptions options_;
  int64_t flush_ms_ = 5000;
  std::size_t max_points_ = kMaxPagePoints;
  std::unique_ptr<RecorderStore> store_;
  std::map<std::string, DeviceMetadata> catalog_;
  std::map<std::string, int64_t> warnings_;
  std::vector<uint64_t> subscriptions_;
  uint64_t timer_ = 0;
  int64_t last_prune_ms_ = std::numeric_limits<int64_t>::min() / 2;
  uint64_t recorded_ = 0;
  uint64_t skipped_states_ = 0;
};

}  // namespace hepek::recorder

HEPEK_PLUGIN(hepek::recorder::Recorder, "org.hepek.recorder", "0.1.0")
