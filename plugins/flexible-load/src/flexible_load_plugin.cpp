// The flexible-load plugin (org.hepek.flexible-load): an on/off appliance (dishwasher, washing machine, boiler)
// behind a HEPEK `switch` device, announced as hepek/<id> implementing `flexible_load`. It follows the planner's
// windows for <id> in hepek/plan, guarantees its deadline by itself (latest-start fallback) and commands the
// switch through hepek/<switch>/set {"state":"on"|"off"}, following the switch's reported state to count the
// run time actually delivered. The rules are RunScheduler's (run_scheduler.hpp); this file wires them to the bus.
//
// Live: a timer every tick_s (the fallback starts at the last tick before the latest start). Simulation: the sense phase decides (a decision holds for the whole step, so the
// fallback starts in the step that contains the latest start) and the decide phase publishes the step's
// interval energy like the sim-home devices. Progress is persisted in the data dir (not in simulation).
// Bad input (a malformed plan, windows outside the run's period, a garbage switch or meter state, a switch that
// does not implement `switch`) is logged naming it and counted in the state's "errors"; never fatal.
#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include <date/tz.h>
#include <hepek/interfaces.hpp>
#include <hepek/payloads/plan.hpp>
#include <hepek/plugin.hpp>
#include <hepek/quote.hpp>
#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/zone_clock.hpp>

#include "progress_store.hpp"
#include "run_period.hpp"
#include "run_scheduler.hpp"

namespace hepek::flexload {
namespace {

std::int64_t seconds_ms(const nlohmann::json& config, const char* key) {
  return config.at(key).get<std::int64_t>() * 1000;
}

const date::time_zone* zone_or_utc(const std::string& name) {
  if (name.empty() || name == "UTC" || name == "Etc/UTC") return nullptr;
  return &timeseries::find_zone(name);
}

std::string iso(std::int64_t unix_ms) {
  return timeseries::format_iso8601_ms(unix_ms);
}

}  // namespace

class FlexibleLoad : public Plugin {
 public:
  static constexpr const char* category = "load";
  static constexpr const char* description =
      "Flexible load: an appliance behind a switch, run in the planner's windows, by its deadline";

  static std::vector<ConfigRow> config_schema() {
    return {
        {"switch", HEPEK_CONFIG_STRING, "", true, "the device implementing `switch` the appliance hangs on"},
        {"meter", HEPEK_CONFIG_STRING, "\"\"", false,
         "a device implementing `load` that measures the appliance; empty: power is estimated"},
        ConfigRow{"rated_power_w", HEPEK_CONFIG_FLOAT, "", true, "the appliance's power while running (W)"}
            .greater_than(0),
        ConfigRow{"run_s", HEPEK_CONFIG_DURATION, "", true, "how long one run takes"}.at_least(1),
        {"interruptible", HEPEK_CONFIG_BOOLEAN, "false", false, "the run may be split over several windows"},
        ConfigRow{"min_run_s", HEPEK_CONFIG_DURATION, "0", false, "interruptible: the shortest chunk"}
            .at_least(0),
        ConfigRow{"recurrence", HEPEK_CONFIG_STRING, "\"none\"", false,
                  "none (one run: earliest_start/deadline ISO 8601) or daily (earliest/deadline HH:MM)"}
            .one_of({"none", "daily"}),
        {"earliest_start", HEPEK_CONFIG_STRING, "\"\"", false,
         "recurrence none: ISO 8601 start of the run's period; empty with deadline empty: no run"},
        {"earliest", HEPEK_CONFIG_STRING, "\"\"", false, "recurrence daily: local HH:MM the run may start"},
        {"deadline", HEPEK_CONFIG_STRING, "\"\"", false,
         "ISO 8601 (recurrence none) or local HH:MM (daily; next day when not after earliest)"},
        ConfigRow{"start_margin_s", HEPEK_CONFIG_DURATION, "30", false,
                  "the latest-start fallback starts this much early (switching and reporting take time)"}
            .at_least(0),
        ConfigRow{"tick_s", HEPEK_CONFIG_DURATION, "1", false, "live mode: how often it decides"}.at_least(1),
        ConfigRow{"plan_max_age_s", HEPEK_CONFIG_DURATION, "7200", false,
                  "a plan older than this (by its ts) is stale: the load falls back to its latest start"}
            .at_least(1),
        ConfigRow{"retry_s", HEPEK_CONFIG_DURATION, "10", false,
                  "repeat a switch command the switch did not follow after this long"}
            .at_least(1),
    };
  }
  static std::vector<TopicGrant> topics() {
    return {{"hepek/{switch}/set", HEPEK_ACCESS_PUBLISH},
            {"hepek/{switch}/#", HEPEK_ACCESS_SUBSCRIBE},
            {"hepek/{meter}/#", HEPEK_ACCESS_SUBSCRIBE},
            {std::string(topics::kPlan), HEPEK_ACCESS_SUBSCRIBE}};
  }

  FlexibleLoad(Host& host, const nlohmann::json& config)
      : Plugin(host),
        switch_(config.at("switch").get<std::string>()),
        meter_(config.at("meter").get<std::string>()),
        rated_w_(config.at("rated_power_w").get<double>()),
        scheduler_(LoadSpec{seconds_ms(config, "run_s"), config.at("interruptible").get<bool>(),
                            seconds_ms(config, "min_run_s"), seconds_ms(config, "start_margin_s")}),
        daily_(config.at("recurrence").get<std::string>() == "daily"),
        tick_ms_(seconds_ms(config, "tick_s")),
        plan_max_age_ms_(seconds_ms(config, "plan_max_age_s")),
        retry_ms_(seconds_ms(config, "retry_s")) {
    if (switch_.empty() || switch_ == host.id())
      throw std::invalid_argument("switch must name another device (the one implementing `switch`)");
    if (!(rated_w_ > 0) || !std::isfinite(rated_w_)) throw std::invalid_argument("rated_power_w must be > 0");
    if (scheduler_.spec().min_run_ms > scheduler_.spec().run_ms)
      throw std::invalid_argument("min_run_s is longer than run_s");
    const std::string deadline = config.at("deadline").get<std::string>();
    if (daily_) {
      if (!config.at("earliest_start").get<std::string>().empty())
        throw std::invalid_argument("recurrence = \"daily\" takes earliest = \"HH:MM\", not earliest_start");
      daily_times_ = {parse_clock_time(config.at("earliest").get<std::string>(), "earliest"),
                      parse_clock_time(deadline, "deadline")};
      const int span = (daily_times_.deadline_minute - daily_times_.earliest_minute + 1440 - 1) % 1440 + 1;
      if (static_cast<std::int64_t>(span) * 60'000 < scheduler_.spec().run_ms + scheduler_.spec().margin_ms)
        throw std::invalid_argument("run_s + start_margin_s does not fit between earliest and deadline");
    } else {
      if (!config.at("earliest").get<std::string>().empty())
        throw std::invalid_argument(
            "earliest = \"HH:MM\" needs recurrence = \"daily\" (a one-shot run takes "
            "earliest_start = ISO 8601)");
      const std::string earliest = config.at("earliest_start").get<std::string>();
      if (earliest.empty() != deadline.empty())
        throw std::invalid_argument("a one-shot run needs both earliest_start and deadline (ISO 8601)");
      if (!earliest.empty()) {
        one_shot_ = one_shot_period(earliest, deadline);
        if (one_shot_->deadline_ms - one_shot_->earliest_ms <
            scheduler_.spec().run_ms + scheduler_.spec().margin_ms)
          throw std::invalid_argument(
              "run_s + start_margin_s does not fit between earliest_start and deadline");
      }
    }
    zone_ = zone_or_utc(host.timezone());
  }

  void start() override {
    if (!host().is_simulation())
      store_ = std::make_unique<ProgressStore>(host().data_dir() + "/progress.json");
    simulation_step_ms_ =
        host().is_simulation() ? host().hub_settings().at("step_s").get<std::int64_t>() * 1000 : 0;
    begin_period(host().now_ms(), /*restore=*/true);

    auto entities = interfaces::canonical_entities(interfaces::kFlexibleLoad);
    for (auto& entity : entities)
      if (entity.field == "power") entity.name = "Power";
    entities.push_back(text_sensor("run_state", "Run state"));
    entities.push_back(sensor("rated_power", "W", "power", "", "Rated power"));
    entities.push_back(sensor("remaining_run_s", "s", "duration", "measurement", "Remaining run time"));
    for (const char* field : {"earliest_start", "deadline", "latest_start"}) {
      Entity entity{field, "", "", "timestamp", "", std::nullopt};
      entity.recorded = false;
      entities.push_back(entity);
    }
    entities.push_back(number_command("power_limit_w", 0, 1e6, "W", "Power limit"));
    if (!daily_) {
      Entity request{"run_until", "Run by", "", "", "", CommandSchema{"string", {}, {}, {}, 64}};
      request.recorded = false;
      entities.push_back(request);
    }
    host().announce(Device{host().id(), "Flexible load", entities, "flexible-load"}.implements(
                        std::string(interfaces::kFlexibleLoad)),
                    [this](const nlohmann::json& command) { return on_command(command); });

    host().subscribe(topics::config(switch_), [this](const Message& m) { on_switch_config(m.payload); });
    host().subscribe(topics::state(switch_), [this](const Message& m) { on_switch_state(m.payload); });
    host().subscribe(topics::availability(switch_),
                     [this](const Message& m) { on_switch_availability(m.payload); });
    host().subscribe(topics::set_result(switch_), [this](const Message& m) { on_switch_answer(m.payload); });
    if (!meter_.empty()) {
      host().subscribe(topics::config(meter_), [this](const Message& m) { on_meter_config(m.payload); });
      host().subscribe(topics::state(meter_), [this](const Message& m) { on_meter_state(m.payload); });
    }
    host().subscribe(topics::kPlan, [this](const Message& m) { on_plan(m.payload); });
    if (!host().is_simulation())
      host().every(static_cast<std::uint64_t>(tick_ms_), [this] { tick(host().now_ms()); });
    tick(host().now_ms());
  }

  void stop() override { save_progress(true); }

  void step(Phase phase, std::int64_t now_ms) override {
    if (phase == Phase::sense) {
      remaining_at_step_ms_ =
          scheduler_.spec().run_ms - (scheduler_.run() ? scheduler_.run()->delivered_ms : 0);
      tick(now_ms);
    } else if (phase == Phase::decide) {
      publish_interval(now_ms);
    }
  }

  nlohmann::json summary() override {
    return {{"flexible_load",
             {{host().id(),
               {{"runs_completed", runs_completed_},
                {"energy_kwh", std::round(total_mwh_ / 1000.0) / 1000.0},
                {"deadlines_missed", deadlines_missed_},
                {"errors", errors_}}}}}};
  }

 private:
  // --- the pending run's period --------------------------------------------------------------------------
  std::optional<RunPeriod> period_after(std::int64_t after_ms) const {
    if (daily_) return daily_period_ending_after(after_ms, daily_times_, zone_);
    return std::nullopt;
  }

  void begin_period(std::int64_t now_ms, bool restore) {
    if (restore && resume_requested_run()) return;
    std::optional<RunPeriod> period = daily_ ? period_after(now_ms) : one_shot_;
    if (!period) {
      scheduler_.set_run(std::nullopt);
      return;
    }
    RunProgress progress{*period, 0};
    if (restore && store_) {
      try {
        if (const auto saved = store_->load(); saved && saved->period == *period && !saved->requested) {
          progress = *saved;
          host().info("resuming the run of " + iso(period->earliest_ms) + " .. " + iso(period->deadline_ms) +
                      ": " + std::to_string(saved->delivered_ms / 1000) + " s already delivered");
        }
      } catch (const std::exception& error) {
        count_error(std::string(error.what()) + "; starting the run afresh");
      }
    }
    start_run(progress);
  }

  // A run requested with run_until before a restart, not yet done: it goes on (recurrence none only).
  bool resume_requested_run() {
    if (daily_ || one_shot_ || !store_) return false;
    try {
      const auto saved = store_->load();
      if (!saved || !saved->requested || saved->delivered_ms >= scheduler_.spec().run_ms) return false;
      one_shot_ = saved->period;
      host().info("resuming the requested run done by " + iso(saved->period.deadline_ms) + ": " +
                  std::to_string(saved->delivered_ms / 1000) + " s already delivered");
      start_run(*saved);
      return true;
    } catch (const std::exception& error) {
      count_error(std::string(error.what()) + "; no requested run to resume");
      return false;
    }
  }

  void start_run(const RunProgress& progress) {
    scheduler_.set_run(progress);
    reapply_plan();
    saved_delivered_ms_ = -1;
    save_progress(true);
  }

  // Daily: the next period begins once this one is done and over, or when the next one opens (a late run that
  // could not finish is abandoned then, and counted).
  void roll_period(std::int64_t now_ms) {
    if (!daily_ || !scheduler_.run()) return;
    const RunPeriod current = scheduler_.run()->period;
    const RunPeriod next = *period_after(current.deadline_ms);
    const bool over = now_ms >= current.deadline_ms;
    if ((scheduler_.done() && over) || now_ms >= next.earliest_ms) {
      if (!scheduler_.done()) {
        ++deadlines_missed_;
        host().warn("the run of " + iso(current.earliest_ms) + " .. " + iso(current.deadline_ms) +
                    " did not finish (" +
                    std::to_string((scheduler_.spec().run_ms - scheduler_.run()->delivered_ms) / 1000) +
                    " s left); the next run begins");
      }
      start_run({next, 0});
    }
  }

  // --- the plan ------------------------------------------------------------------------------------------
  void on_plan(std::string_view payload) {
    if (payload.empty()) {
      plan_windows_.reset();
      reapply_plan();
      return;
    }
    const auto plan = payloads::PlanMessage::parse(payload);
    if (!plan) {
      count_error("ignoring a malformed hepek/plan (the previous plan stays in force): " + plan.error());
      return;
    }
    std::int64_t ts_ms = host().now_ms();
    if (!plan->ts.empty()) {
      std::string why;
      if (const auto parsed = timeseries::parse_iso8601(plan->ts, {}, &why))
        ts_ms = parsed->unix_ms();
      else
        count_error("hepek/plan has an unreadable ts (" + why + "); taking it as received now");
    }
    plan_ts_ms_ = ts_ms;
    const auto* windows = plan->windows_for(host().id());
    plan_windows_ = windows ? std::optional(*windows) : std::nullopt;
    reapply_plan(/*log=*/true);
    tick(host().now_ms());
  }

  bool plan_fresh(std::int64_t now_ms) const {
    return plan_windows_ && now_ms - plan_ts_ms_ <= plan_max_age_ms_;
  }

  void reapply_plan(bool log = false) {
    plan_applied_fresh_ = plan_fresh(host().now_ms());
    const auto refused = scheduler_.set_plan(plan_applied_fresh_ ? plan_windows_ : std::nullopt);
    if (!log || !scheduler_.run()) return;
    for (const auto& window : refused)
      count_error("hepek/plan window " + iso(window.start_ms) + " .. " + iso(window.end_ms) + " for \"" +
                  host().id() + "\" lies outside the run's period " +
                  iso(scheduler_.run()->period.earliest_ms) + " .. " +
                  iso(scheduler_.run()->period.deadline_ms) + "; ignored");
    if (plan_windows_ && !plan_applied_fresh_)
      host().warn("hepek/plan of " + iso(plan_ts_ms_) +
                  " is stale (older than plan_max_age_s); following the "
                  "latest start instead");
  }

  // --- the switch and the meter --------------------------------------------------------------------------
  void on_switch_config(std::string_view payload) {
    switch_ready_ = false;
    if (payload.empty()) {
      switch_problem_ = "switch \"" + switch_ + "\" has no config (not announced)";
      return;
    }
    const auto json = nlohmann::json::parse(payload, nullptr, false);
    if (const Status ok = interfaces::check_implements(json, interfaces::kSwitch); !ok) {
      switch_problem_ = "switch \"" + switch_ + "\" cannot be used: " + ok.error();
      count_error(switch_problem_);
      return;
    }
    switch_ready_ = true;
    switch_problem_.clear();
    const auto declared = interfaces::declared_interfaces(json);
    for (const auto& ref : *declared)
      if (ref.name == interfaces::kSwitch && ref.role == "supply" && !warned_supply_++)
        host().warn("switch \"" + switch_ +
                    "\" is the supply relay (role supply): switching it switches the home");
    tick(host().now_ms());
  }

  void on_switch_state(std::string_view payload) {
    if (payload.empty()) return;
    const auto json = nlohmann::json::parse(payload, nullptr, false);
    const auto state = json.is_object() ? json.find("state") : json.end();
    if (state == json.end() || (*state != "on" && *state != "off")) {
      count_error("ignoring switch \"" + switch_ +
                  "\" state without \"state\":\"on\"|\"off\": " + quote_prefix(payload));
      return;
    }
    scheduler_.switch_reported(host().now_ms(), *state == "on");
    tick(host().now_ms());
  }

  // The hub's answer to our command on hepek/<switch>/set: a refusal is reported (and the command repeated).
  void on_switch_answer(std::string_view payload) {
    const auto json = nlohmann::json::parse(payload, nullptr, false);
    if (json.is_object() && json.value("ok", false)) return;
    switch_problem_ = "switch \"" + switch_ + "\" refused a command: " + quote_prefix(payload);
    count_error(switch_problem_);
  }

  void on_switch_availability(std::string_view payload) {
    const bool online = payload != topics::kOffline;
    if (online == switch_online_) return;
    switch_online_ = online;
    if (!online) {
      host().warn("switch \"" + switch_ + "\" is offline; its state is unknown until it is back");
      scheduler_.switch_reported(host().now_ms(), std::nullopt);
    }
    tick(host().now_ms());
  }

  void on_meter_config(std::string_view payload) {
    const auto json = nlohmann::json::parse(payload, nullptr, false);
    const Status ok = interfaces::check_implements(json, interfaces::kLoad);
    meter_ready_ = ok.ok();
    if (!ok && !payload.empty())
      count_error("meter \"" + meter_ + "\" is not used (power is estimated): " + ok.error());
  }

  void on_meter_state(std::string_view payload) {
    const auto json = nlohmann::json::parse(payload, nullptr, false);
    if (!json.is_object() || !json.contains("power") || !json["power"].is_number() ||
        !std::isfinite(json["power"].get<double>())) {
      if (!payload.empty())
        count_error("ignoring meter \"" + meter_ +
                    "\" state without a numeric power: " + quote_prefix(payload));
      return;
    }
    metered_w_ = json["power"].get<double>();
  }

  // --- commands ------------------------------------------------------------------------------------------
  CommandResult on_command(const nlohmann::json& command) {
    if (command.contains("run_until"))
      if (auto refused = request_run(command["run_until"].get<std::string>()); !refused.ok()) return refused;
    if (command.contains("enabled")) enabled_ = command["enabled"].get<bool>();
    if (command.contains("power_limit_w")) power_limit_w_ = command["power_limit_w"].get<double>();
    tick(host().now_ms());
    if (power_limit_w_ && *power_limit_w_ < rated_w_)
      return "accepted: the limit is below the rated power (" + std::to_string(static_cast<int>(rated_w_)) +
             " W), so the appliance (on/off) does not run";
    return {};
  }

  // {"run_until": ISO 8601}: a one-shot run from now that must be done by then (recurrence none only; not while
  // another run is pending).
  CommandResult request_run(const std::string& deadline_text) {
    const std::int64_t now_ms = host().now_ms();
    std::string why;
    const auto deadline = timeseries::parse_iso8601(deadline_text, {}, &why);
    if (!deadline) return CommandResult::rejected("run_until: " + why);
    if (scheduler_.run() && !scheduler_.done() && now_ms < scheduler_.run()->period.deadline_ms)
      return CommandResult::rejected("run_until: a run is pending until " +
                                     iso(scheduler_.run()->period.deadline_ms) + "; it must finish first");
    const RunPeriod period{now_ms, deadline->unix_ms()};
    if (period.deadline_ms - period.earliest_ms < scheduler_.spec().run_ms + scheduler_.spec().margin_ms)
      return CommandResult::rejected("run_until " + deadline_text +
                                     " leaves less than run_s + start_margin_s");
    one_shot_ = period;
    host().info("run requested: from now, done by " + iso(period.deadline_ms));
    start_run({period, 0, /*requested=*/true});
    return {};
  }

  bool allowed() const { return enabled_ && !(power_limit_w_ && *power_limit_w_ < rated_w_); }

  // --- the decision --------------------------------------------------------------------------------------
  void tick(std::int64_t now_ms) {
    roll_period(now_ms);
    if (plan_applied_fresh_ != plan_fresh(now_ms)) reapply_plan(/*log=*/true);
    scheduler_.account(now_ms);
    // A decision holds until the next tick (or simulation step): the fallback starts in the one containing the
    // latest start, never after it.
    const Decision decision =
        scheduler_.decide(now_ms, allowed(), host().is_simulation() ? simulation_step_ms_ : tick_ms_);
    if (decision.state == RunState::done && !counted_done_) {
      ++runs_completed_;
      counted_done_ = true;
      host().info("run complete" +
                  std::string(scheduler_.run() && now_ms > scheduler_.run()->period.deadline_ms
                                  ? " (after the deadline)"
                                  : ""));
    }
    if (decision.state != RunState::done) counted_done_ = false;
    drive_switch(now_ms, decision);
    save_progress(false);
    publish_state(now_ms, decision);
  }

  void drive_switch(std::int64_t now_ms, const Decision& decision) {
    if (decision.reason != last_reason_) {
      host().info(std::string("switch ") + (decision.switch_on ? "on" : "off") + ": " + decision.reason);
      last_reason_ = decision.reason;
    }
    const bool follows = scheduler_.switch_on() == decision.switch_on;
    if (follows) {
      if (switch_ready_ && switch_online_) switch_problem_.clear();
      return;
    }
    if (!switch_ready_ || !switch_online_) {
      if (switch_problem_.empty()) switch_problem_ = "switch \"" + switch_ + "\" is unavailable";
      return;  // retried on the next tick once it is back
    }
    if (commanded_ == decision.switch_on && now_ms - commanded_ms_ < retry_ms_) return;
    if (commanded_ == decision.switch_on)
      switch_problem_ = "switch \"" + switch_ + "\" did not follow the last command; repeating it";
    const nlohmann::json command{{"state", decision.switch_on ? "on" : "off"}};
    if (const Status sent = host().publish_json(topics::set(switch_), command); !sent) {
      switch_problem_ = sent.error();
      return;
    }
    commanded_ = decision.switch_on;
    commanded_ms_ = now_ms;
  }

  void save_progress(bool force) {
    if (!store_ || !scheduler_.run()) return;
    const std::int64_t delivered = scheduler_.run()->delivered_ms;
    if (!force && (delivered == saved_delivered_ms_ ||
                   (delivered - saved_delivered_ms_ < 5000 && !scheduler_.done() && scheduler_.switch_on())))
      return;
    try {
      store_->save(*scheduler_.run());
      saved_delivered_ms_ = delivered;
    } catch (const std::exception& error) {
      count_error(error.what());
    }
  }

  double power_w() const {
    if (meter_ready_ && metered_w_) return *metered_w_;
    return scheduler_.switch_on().value_or(false) ? rated_w_ : 0.0;
  }

  void publish_state(std::int64_t now_ms, const Decision& decision) {
    nlohmann::json state{
        {"power", std::round(power_w())},
        {"power_estimated", !(meter_ready_ && metered_w_)},
        {"run_state", run_state_name(decision.state)},
        {"rated_power", rated_w_},
        {"remaining_run_s", (decision.remaining_ms + 999) / 1000},
        {"enabled", enabled_},
        {"power_limit_w", power_limit_w_ ? nlohmann::json(*power_limit_w_) : nlohmann::json()},
        {"planned", scheduler_.has_plan()},
        {"reason", decision.reason},
        {"errors", errors_}};
    const auto* run = scheduler_.run() ? &*scheduler_.run() : nullptr;
    state["earliest_start"] = run ? nlohmann::json(iso(run->period.earliest_ms)) : nlohmann::json();
    state["deadline"] = run ? nlohmann::json(iso(run->period.deadline_ms)) : nlohmann::json();
    state["latest_start"] =
        decision.latest_start_ms ? nlohmann::json(iso(*decision.latest_start_ms)) : nlohmann::json();
    state["switch_error"] = switch_problem_.empty() ? nlohmann::json() : nlohmann::json(switch_problem_);
    if (host().is_simulation()) return publish_if_changed(now_ms, std::move(state), true);
    publish_if_changed(now_ms, std::move(state), false);
  }

  // Live: publish when something other than the remaining time changed, or every 10 s while it counts down.
  void publish_if_changed(std::int64_t now_ms, nlohmann::json state, bool always) {
    nlohmann::json without_remaining = state;
    without_remaining.erase("remaining_run_s");
    if (!always && without_remaining == last_published_ && now_ms - last_published_ms_ < 10'000) return;
    if (!always && state == last_full_) return;
    last_published_ = std::move(without_remaining);
    last_full_ = state;
    last_published_ms_ = now_ms;
    if (!always)
      host().publish_state(host().id(), std::move(state));
    else
      pending_state_ = std::move(state);
  }

  // Simulation, decide phase: the step [now, now + step) with the switch as reported after the sense phase.
  void publish_interval(std::int64_t now_ms) {
    const bool on = scheduler_.switch_on().value_or(false);
    const std::int64_t run_ms =
        on ? std::clamp<std::int64_t>(remaining_at_step_ms_, 0, simulation_step_ms_) : 0;
    const std::int64_t energy_mwh = std::llround(rated_w_ * static_cast<double>(run_ms) / 3600.0);
    total_mwh_ += static_cast<double>(energy_mwh);
    nlohmann::json state = pending_state_.is_object() ? pending_state_ : nlohmann::json::object();
    state["power"] =
        std::round(rated_w_ * static_cast<double>(run_ms) / static_cast<double>(simulation_step_ms_));
    state["interval"] = {
        {"start_ms", now_ms}, {"duration_ms", simulation_step_ms_}, {"energy_mwh", energy_mwh}};
    host().publish_state(host().id(), std::move(state));
  }

  void count_error(const std::string& message) {
    ++errors_;
    host().warn(message);
  }

  std::string switch_;
  std::string meter_;
  double rated_w_;
  RunScheduler scheduler_;
  bool daily_;
  DailyTimes daily_times_;
  std::optional<RunPeriod> one_shot_;
  const date::time_zone* zone_ = nullptr;
  std::int64_t tick_ms_, plan_max_age_ms_, retry_ms_;
  std::int64_t simulation_step_ms_ = 0;
  std::int64_t remaining_at_step_ms_ = 0;
  std::unique_ptr<ProgressStore> store_;
  std::int64_t saved_delivered_ms_ = -1;

  std::optional<std::vector<payloads::RunWindow>> plan_windows_;
  std::int64_t plan_ts_ms_ = 0;
  bool plan_applied_fresh_ = false;

  bool switch_ready_ = false;
  bool switch_online_ = true;
  int warned_supply_ = 0;
  std::string switch_problem_ = "switch has not announced itself yet";
  std::optional<bool> commanded_;
  std::int64_t commanded_ms_ = 0;
  bool meter_ready_ = false;
  std::optional<double> metered_w_;

  bool enabled_ = true;
  std::optional<double> power_limit_w_;
  std::string last_reason_;
  bool counted_done_ = false;
  nlohmann::json last_published_, last_full_, pending_state_;
  std::int64_t last_published_ms_ = 0;

  std::uint64_t errors_ = 0, runs_completed_ = 0, deadlines_missed_ = 0;
  double total_mwh_ = 0;
};

}  // namespace hepek::flexload

HEPEK_PLUGIN(hepek::flexload::FlexibleLoad, "org.hepek.flexible-load", "1.0.0")
