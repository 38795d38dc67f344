// hello-meter: the smallest useful HEPEK plugin, built out of tree against the installed SDK.
// It announces a meter device with one power sensor, one energy counter and one writable field, publishes a
// reading on a timer, and accepts {"interval_s": N} commands (validated by the hub against the declared schema).
#include <hepek/plugin.hpp>

class HelloMeter : public hepek::Plugin {
 public:
  static constexpr const char* category = "example";
  static constexpr const char* description = "Example meter that publishes a synthetic reading";

  static std::vector<hepek::ConfigRow> config_schema() {
    return {{"interval_ms", HEPEK_CONFIG_INTEGER, "1000", false, "Publish period in milliseconds"},
            {"power_w", HEPEK_CONFIG_FLOAT, "230.0", false, "The power it reports, in W"}};
  }

  HelloMeter(hepek::Host& host, const nlohmann::json& config)
      : Plugin(host), interval_ms_(config.at("interval_ms").get<int64_t>()), power_w_(config.at("power_w")) {
    if (interval_ms_ <= 0) throw std::invalid_argument("interval_ms must be positive");
  }

  void start() override {
    host().announce(
        {host().id(),
         "Hello meter",
         {hepek::sensor("power", "W", "power", "measurement"), hepek::energy_counter("energy_import"),
          hepek::integer_command("interval_ms", 10, 3'600'000, "ms")},
         "hello-meter"},
        [this](const nlohmann::json& command) -> hepek::CommandResult {
          interval_ms_ = command.at("interval_ms").get<int64_t>();
          restart_timer();
          return {};
        });
    restart_timer();
  }

 private:
  void restart_timer() {
    if (timer_) host().cancel(timer_);
    timer_ = host().every(static_cast<uint64_t>(interval_ms_), [this] { publish(); });
  }
  void publish() {
    energy_wh_ += power_w_ * static_cast<double>(interval_ms_) / 3'600'000.0;
    host().publish_state(host().id(),
                         {{"power", power_w_}, {"energy_import", energy_wh_}, {"interval_ms", interval_ms_}});
  }

  int64_t interval_ms_;
  double power_w_;
  double energy_wh_ = 0;
  uint64_t timer_ = 0;
};

HEPEK_PLUGIN(HelloMeter, "org.hepek.example.hello-meter", "1.0.0")
