// org.hepek.tariff: energy prices for the home. Reads spot prices from a day-ahead CSV (released day by day
// as the hub clock passes the publication time) or from the operator's signed broadcasts on
// serenity/broadcast/prices, composes all-in import/export prices and publishes what is known of the next
// 24–48 h, retained, on hepek/tariff/prices whenever new prices become known. Its own device
// (hepek/<id>/state) shows the current prices.
#include <hepek/plugin.hpp>

#include <algorithm>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>
#include "csv_prices.hpp"
#include "day_ahead_visibility.hpp"
#include "operator_price_book.hpp"
#include "price_publication.hpp"
#include "tariff_cli.hpp"
#include "tariff_composition.hpp"

namespace hepek::tariff {

class TariffPlugin : public hepek::Plugin {
 public:
  static constexpr const char* category = "tariff";
  static constexpr const char* description =
      "Energy prices: day-ahead CSV or the operator's signed broadcasts, composed into import/export prices";

  static std::vector<hepek::ConfigRow> config_schema() {
    return {
        hepek::ConfigRow{"source", HEPEK_CONFIG_STRING, "\"csv\"", false,
                         "\"csv\" (a price file) or \"operator\" (signed broadcasts)"}
            .one_of({"csv", "operator"}),
        {"csv", HEPEK_CONFIG_PATH, "\"\"", false, "source csv: canonical price CSV (time,price_eur_per_mwh)"},
        {"publish_time", HEPEK_CONFIG_STRING, "\"13:00\"", false,
         "source csv: local time (the file's UTC offset) at which the next day's prices become known"},
        hepek::ConfigRow{
            "duplicates", HEPEK_CONFIG_STRING, "\"conservative\"", false,
            "conflicting duplicate rows: \"conservative\" (highest for import, lowest for export; logged) or "
            "\"reject\""}
            .one_of({"conservative", "reject"}),
        {"operator_address", HEPEK_CONFIG_STRING, "\"\"", false,
         "source operator: the operator's address (EIP-55)"},
        hepek::ConfigRow{"operator_max_age_hours", HEPEK_CONFIG_FLOAT, "48.0", false,
                         "source operator: refuse broadcasts issued longer ago than this"}
            .greater_than(0),
        hepek::ConfigRow{"horizon_hours", HEPEK_CONFIG_FLOAT, "48.0", false, "publish at most this far ahead"}
            .greater_than(0),
        {"margin_eur_per_mwh", HEPEK_CONFIG_FLOAT, "0.0", false, "supplier margin added to spot for import"},
        {"grid_fee_eur_per_mwh", HEPEK_CONFIG_FLOAT, "0.0", false, "grid (network) fee per MWh imported"},
        {"energy_tax_eur_per_mwh", HEPEK_CONFIG_FLOAT, "0.0", false, "energy tax per MWh imported"},
        hepek::ConfigRow{"vat_percent", HEPEK_CONFIG_FLOAT, "0.0", false,
                         "VAT over spot, margin, grid fee and energy tax"}
            .at_least(0),
        hepek::ConfigRow{"export", HEPEK_CONFIG_STRING, "\"spot\"", false,
                         "export price: \"spot\", \"fixed\" or \"none\""}
            .one_of({"spot", "fixed", "none"}),
        {"export_fee_eur_per_mwh", HEPEK_CONFIG_FLOAT, "0.0", false, "export = spot: deducted from spot"},
        {"export_fixed_eur_per_mwh", HEPEK_CONFIG_FLOAT, "0.0", false, "export = fixed: the price paid"},
        hepek::ConfigRow{"check_interval_s", HEPEK_CONFIG_DURATION, "60", false,
                         "live mode: how often to look for newly known prices"}
            .at_least(1),
    };
  }

  static std::vector<hepek::CliCommand> cli_commands() {
    return {HEPEK_CLI("tariff sign",
                      "Sign one day of a price CSV as an operator broadcast (key in HEPEK_OPERATOR_KEY): "
                      "--prices P.csv --day YYYY-MM-DD [--issued ISO]",
                      tariff_sign_command),
            HEPEK_CLI("tariff verify", "Check an operator price broadcast: --operator 0xADDRESS [FILE|stdin]",
                      tariff_verify_command)};
  }

  static std::vector<hepek::TopicGrant> topics() {
    return {{std::string(hepek::topics::kTariffPrices), HEPEK_ACCESS_PUBLISH},
            {hepek::topics::operator_broadcast(kOperatorPricesSignal), HEPEK_ACCESS_SUBSCRIBE}};
  }

  TariffPlugin(hepek::Host& host, const nlohmann::json& config)
      : hepek::Plugin(host), composition_(composition_from_config(config)) {
    source_ = config.at("source").get<std::string>();
    const double horizon_hours = config.at("horizon_hours").get<double>();
    if (!(horizon_hours >= 1 && horizon_hours <= 24 * 7))
      throw std::invalid_argument(fmt::format("horizon_hours {} must be between 1 and 168", horizon_hours));
    horizon_s_ = static_cast<std::int64_t>(horizon_hours * 3600);
    check_interval_s_ = config.at("check_interval_s").get<std::int64_t>();
    if (check_interval_s_ < 1) throw std::invalid_argument("check_interval_s must be at least 1");
    if (source_ == "csv") {
      const auto path = config.at("csv").get<std::string>();
      if (path.empty()) throw std::invalid_argument("source = \"csv\" needs csv");
      const auto publish = parse_publish_time(config.at("publish_time").get<std::string>());
      if (!publish)
        throw std::invalid_argument("publish_time '" + config.at("publish_time").get<std::string>() +
                                    "' must be HH:MM or HH:MM:SS");
      publish_second_ = *publish;
      const auto policy_text = config.at("duplicates").get<std::string>();
      if (policy_text != "conservative" && policy_text != "reject")
        throw std::invalid_argument("duplicates must be \"conservative\" or \"reject\", got \"" +
                                    policy_text + "\"");
      csv_ = read_csv_prices_file(
          path, policy_text == "reject" ? ConflictPolicy::reject : ConflictPolicy::conservative);
      for (const auto& note : csv_->conflicts)
        host.warn("conflicting duplicate prices, kept the highest for import and the lowest for export: " +
                  describe(note, path, csv_->grid.offset_at(note.start_s)));
      host.info(
          fmt::format("{}: {} slots of {} s from {}, {} gaps filled, {} identical duplicates dropped, {} "
                      "conflicting",
                      path, csv_->grid.size(), csv_->grid.step_s,
                      timeseries::format_iso8601(csv_->grid.start_s, csv_->grid.offset_minutes.front()),
                      csv_->grid.gaps(), csv_->identical_duplicates, csv_->conflicts.size()));
    } else if (source_ == "operator") {
      const auto address = config.at("operator_address").get<std::string>();
      if (address.empty()) throw std::invalid_argument("source = \"operator\" needs operator_address");
      const double max_age_hours = config.at("operator_max_age_hours").get<double>();
      if (!(max_age_hours > 0)) throw std::invalid_argument("operator_max_age_hours must be positive");
      book_.emplace(eth::Address::parse(address, "operator_address"),
                    static_cast<std::int64_t>(max_age_hours * 3600));
    } else {
      throw std::invalid_argument("source must be \"csv\" or \"operator\", got \"" + source_ + "\"");
    }
  }

  void start() override {
    const std::string device = host().id();
    host().announce(
        hepek::Device(device, "Energy tariff",
                      {hepek::sensor("import_eur_per_mwh", "EUR/MWh", "", "measurement", "Import price"),
                       hepek::sensor("export_eur_per_mwh", "EUR/MWh", "", "measurement", "Export price"),
                       hepek::sensor("spot_eur_per_mwh", "EUR/MWh", "", "measurement", "Spot price"),
                       hepek::sensor("known_slots", "", "", "measurement", "Known price slots ahead"),
                       hepek::text_sensor("horizon_end", "Prices known until"),
                       hepek::sensor("gaps_filled", "", "", "measurement", "Gaps filled ahead"),
                       hepek::text_sensor("source", "Price source")},
                      "tariff"));
    if (book_)
      host().subscribe(hepek::topics::operator_broadcast(kOperatorPricesSignal),
                       [this](const hepek::Message& message) { on_operator_prices(message.payload); });
    if (!host().is_simulation()) {
      tick(host().now_ms());
      host().every(static_cast<std::uint64_t>(check_interval_s_) * 1000, [this] { tick(host().now_ms()); });
    }
  }

  void step(hepek::Phase phase, std::int64_t now_ms) override {
    if (phase == hepek::Phase::sense) tick(now_ms);
  }

  nlohmann::json summary() override {
    return {{"tariff", {{"publications", publications_}, {"operator_rejected", rejected_}}}};
  }

 private:
  void on_operator_prices(std::string_view payload) {
    const std::int64_t now_ms = host().now_ms();
    const OfferResult result = book_->offer(payload, now_ms / 1000);
    switch (result.kind) {
      case OfferResult::Kind::accepted:
        host().info("accepted " + result.reason);
        break;
      case OfferResult::Kind::ignored:
        return;
      case OfferResult::Kind::rejected:
        ++rejected_;
        host().error("rejected a broadcast on serenity/broadcast/prices: " + result.reason);
        return;
    }
    tick(now_ms);
  }

  // What is known now: the window [current slot, min(visible, now + horizon)) and a key that changes when the
  // known prices do.
  void tick(std::int64_t now_ms) {
    const std::int64_t now_s = now_ms / 1000;
    PriceGrid operator_grid;
    const PriceGrid* grid = nullptr;
    std::int64_t until = now_s + horizon_s_;
    std::uint64_t version = 0;
    if (csv_) {
      grid = &csv_->grid;
      until = std::min(until, day_ahead_visible_until(csv_->grid, now_s, publish_second_));
    } else {
      try {
        operator_grid = book_->grid(now_s);
      } catch (const std::exception& error) {
        host().error(std::string("operator price book: ") + error.what());
      }
      grid = &operator_grid;
      version = book_->version();
    }
    // Start of the slot containing now, on the grid's alignment.
    const std::int64_t from =
        now_s - (((now_s - grid->start_s) % grid->step_s) + grid->step_s) % grid->step_s;
    // The end of what is known ahead (0: nothing) decides whether anything new became known.
    std::int64_t known_end = 0;
    if (!grid->empty() && std::min(until, grid->end_s()) > from) known_end = std::min(until, grid->end_s());
    const bool nothing_current = !grid->empty() && grid->slot(now_s) < 0;
    if (!published_ || known_end != published_known_end_ || version != published_version_) {
      message_ = price_message(*grid, composition_, from, until, source_, now_ms);
      host().publish_json(hepek::topics::kTariffPrices, message_.to_json(), 1, /*retain=*/true);
      state_grid_ = *grid;
      ++publications_;
      if (message_.prices.empty() || nothing_current)
        host().warn(fmt::format("no price known for {}{}", timeseries::format_iso8601(now_s, 0),
                                book_ ? " (waiting for signed prices on serenity/broadcast/prices)" : ""));
      published_ = true;
      published_known_end_ = known_end;
      published_version_ = version;
    }
    const std::int64_t slot_start = from;
    if (slot_start != state_slot_ || publications_ != state_publications_) {
      host().publish_state(host().id(), tariff_state(message_, state_grid_, now_s));
      state_slot_ = slot_start;
      state_publications_ = publications_;
    }
  }

  TariffComposition composition_;
  std::string source_;
  std::int64_t horizon_s_ = 48 * 3600;
  std::int64_t check_interval_s_ = 60;
  int publish_second_ = kDefaultPublishSecondOfDay;
  std::optional<CsvPrices> csv_;
  std::optional<OperatorPriceBook> book_;

  payloads::PriceMessage message_;
  PriceGrid state_grid_;  // the grid message_ was made from (its UTC offsets format the state's times)
  bool published_ = false;
  std::int64_t published_known_end_ = 0;
  std::uint64_t published_version_ = 0;
  std::int64_t state_slot_ = INT64_MIN;
  std::int64_t publications_ = 0, state_publications_ = -1, rejected_ = 0;
};

}  // namespace hepek::tariff

HEPEK_PLUGIN(hepek::tariff::TariffPlugin, "org.hepek.tariff", "0.1.0")
