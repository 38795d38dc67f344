#include "member_role.hpp"

#include <cmath>

#include <fmt/format.h>
#include <hepek/timeseries/iso8601.hpp>

#include <hepek/interfaces.hpp>
#include <hepek/payloads/wallet.hpp>

#include "crash_points.hpp"
#include "pricing.hpp"
#include "wire.hpp"

namespace hepek::ergon {
namespace {

std::optional<std::int64_t> parse_time(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::string why;
  const auto instant = timeseries::parse_iso8601(text, {}, &why);
  if (!instant)
    throw std::invalid_argument("close_at \"" + text +
                                "\": expected ISO 8601 with offset, e.g. 2024-01-08T00:00:00+01:00 (" + why +
                                ")");
  return instant->unix_ms();
}

}  // namespace

MemberRole::MemberRole(Host& host, const nlohmann::json& config)
    : host_(host),
      config_(config),
      device_id_(config.at("device_id").get<std::string>()),
      relay_(config.at("relay").get<std::string>()),
      meter_(config.at("meter").get<std::string>()),
      cycle_ms_(config.at("cycle_s").get<std::int64_t>() * 1000),
      low_threshold_(eth::parse_units(config.at("low_threshold").get<std::string>(), 18, "low_threshold")),
      emergency_allowance_(
          eth::parse_units(config.at("emergency_allowance").get<std::string>(), 18, "emergency_allowance")),
      deposit_(eth::parse_units(config.at("deposit").get<std::string>(), 18, "deposit")),
      auto_buy_(eth::parse_units(config.at("auto_buy").get<std::string>(), 18, "auto_buy")),
      protected_hours_(parse_protected_hours(config.at("protected_hours").get<std::string>())),
      close_at_ms_(parse_time(config.at("close_at").get<std::string>())) {
  if (device_id_.empty())
    throw std::invalid_argument("role = \"member\" needs device_id (the id printed on the device)");
  if (cycle_ms_ <= 0) throw std::invalid_argument("cycle_s must be positive");
  if (meter_.empty()) throw std::invalid_argument("meter: the grid meter's device id is required");
  // Nothing is billed before the meter's config says it is a grid meter.
  meter_problem_ = "waiting for the grid meter's config on " + topics::config(meter_);
}

std::string MemberRole::serenity(const std::string& topic) const {
  return topics::operator_device(device_id_, topic);
}

eth::Signature MemberRole::sign_with_key_store(const std::string& purpose, const eth::Bytes32& digest) {
  const auto signature = host_.sign(purpose, digest.data());
  if (!signature)
    throw std::runtime_error("the key store refused to sign for purpose \"" + purpose +
                             "\" (grant it: grants = [\"balance-proof\", \"transaction\"])");
  return eth::Signature::from_bytes(*signature);
}

void MemberRole::start() {
  const std::string endpoint = host_.chain_endpoint();
  if (endpoint.empty())
    throw std::runtime_error("ergon member needs [chain] endpoint (\"embedded\" or a JSON-RPC URL)");
  const std::string address = host_.key_address();
  if (address.empty()) throw std::runtime_error("ergon member: the hub's key store is unavailable");
  MemberConfig config;
  config.data_dir = host_.data_dir();
  config.rpc_url = endpoint;
  config.device_id = device_id_;
  config.device = eth::Address::parse(address, "key store address");
  config.transaction_signer = [this](const eth::Bytes32& d) { return sign_with_key_store("transaction", d); };
  config.proof_signer = [this](const eth::Bytes32& d) { return sign_with_key_store("balance-proof", d); };
  std::function<std::uint64_t()> clock;
  if (host_.is_simulation()) clock = [this] { return static_cast<std::uint64_t>(host_.now_ms() / 1000); };
  service_ = std::make_unique<MemberService>(config, clock);

  host_.announce(
      Device{host_.id(),
             "ERGON wallet",
             {text_sensor("token_balance", "Token balance (base units)"), text_sensor("deposit"),
              text_sensor("spent"), text_sensor("remaining"), sensor("cycle", "", "", "measurement"),
              text_sensor("credit_state"), text_sensor("registration"), text_sensor("last_proof"),
              boolean_command("override", "Owner override (keep supply on)")},
             "prepaid wallet"},
      [this](const nlohmann::json& command) { return on_command(command); });

  host_.subscribe(topics::operator_broadcast("contracts"), [this](const Message& m) {
    std::lock_guard lock(mutex_);
    const auto json = nlohmann::json::parse(m.payload);
    service_->set_contracts(
        ContractAddresses::from_json(json),
        eth::Address::parse(string_field(json, "operator", "contracts"), "contracts.operator"));
    if (tariff_json_) {
      if (auto error = service_->set_tariff(SignedTariff::from_json(*tariff_json_)); !error.empty())
        host_.warn("tariff refused: " + error);
    }
  });
  host_.subscribe(topics::operator_broadcast("tariff"), [this](const Message& m) {
    std::lock_guard lock(mutex_);
    tariff_json_ = nlohmann::json::parse(m.payload);
    if (auto error = service_->set_tariff(SignedTariff::from_json(*tariff_json_)); !error.empty())
      host_.warn("tariff refused: " + error);
  });
  host_.subscribe("serenity/" + device_id_ + "/#", [this](const Message& m) {
    const std::string prefix = "serenity/" + device_id_ + "/";
    const std::string kind(m.topic.substr(prefix.size()));
    if (kind != "ack" && kind != "buy/result" && kind != "close/result" && kind != "hello/result") return;
    std::lock_guard lock(mutex_);
    on_operator_message(kind, nlohmann::json::parse(m.payload));
  });
  // Billing reads the grid meter by its interface, never by guessing a field: the configured device must
  // announce grid_meter with role "grid" on its retained config; then its canonical energy_import counter is
  // the cumulative import billed. Anything else is an error in the log and on the wallet's state.
  host_.subscribe(topics::config(meter_), [this](const Message& m) {
    std::lock_guard lock(mutex_);
    const auto json = nlohmann::json::parse(m.payload, nullptr, false);
    const Status status = interfaces::check_implements(json, interfaces::kGridMeter, interfaces::kRoleGrid);
    set_meter_problem(status.ok() ? std::string()
                                  : "meter \"" + meter_ + "\" cannot be billed from: " + status.error());
    if (status.ok()) read_meter_state();
  });
  host_.subscribe(topics::state(meter_), [this](const Message& m) {
    std::lock_guard lock(mutex_);
    meter_state_ = nlohmann::json::parse(m.payload, nullptr, false);
    read_meter_state();
  });
  host_.subscribe("hepek/wallet/buy", [this](const Message& m) {
    std::lock_guard lock(mutex_);
    nlohmann::json body = nlohmann::json::parse(m.payload, nullptr, false);
    try {
      const std::string request_id = string_field(body, "request_id", "buy");
      nlohmann::json method = body.contains("iban")
                                  ? nlohmann::json{{"iban", body["iban"]}}
                                  : nlohmann::json{{"card", string_field(body, "card", "buy")}};
      buy(request_id, eth::parse_uint256(string_field(body, "amount", "buy"), "buy.amount"), method, true);
    } catch (const std::exception& error) {
      host_.publish_json(
          "hepek/wallet/buy/result",
          {{"request_id", body.is_object() && body.contains("request_id") ? body["request_id"] : nullptr},
           {"status", "rejected"},
           {"reason", error.what()}});
    }
  });
  host_.subscribe("hepek/wallet/close", [this](const Message&) {
    std::lock_guard lock(mutex_);
    if (const auto id = service_->channel_id()) {
      close_requested_ = true;
      host_.publish_json(serenity("close"), {{"channel_id", eth::to_hex(*id)}});
    }
  });
  if (!host_.is_simulation())
    host_.every(1000, [this] {
      std::lock_guard lock(mutex_);
      tick(host_.now_ms());
    });
}

void MemberRole::set_meter_problem(const std::string& problem) {
  if (problem != meter_problem_ && !problem.empty()) host_.error(problem + "; nothing is billed until it is");
  if (problem.empty() && !meter_problem_.empty())
    host_.info("meter \"" + meter_ + "\" implements grid_meter");
  meter_problem_ = problem;
}

void MemberRole::read_meter_state() {
  if (!meter_problem_.empty() || !meter_state_.is_object()) return;
  const auto counter = meter_state_.find("energy_import");
  if (counter == meter_state_.end()) return;  // a state without the counter (e.g. a partial telegram)
  if (!counter->is_number() || *counter < 0) {
    const std::string problem = "meter \"" + meter_ + "\" published energy_import " + counter->dump() +
                                ", not a non-negative number of Wh";
    if (problem != meter_reading_problem_) host_.error(problem + "; the reading is not billed");
    meter_reading_problem_ = problem;
    return;
  }
  meter_reading_problem_.clear();
  meter_wh_ = eth::uint256(static_cast<std::uint64_t>(std::floor(counter->get<double>())));
}

void MemberRole::step(std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  tick(now_ms);
}

void MemberRole::buy(const std::string& request_id, const eth::uint256& amount, const nlohmann::json& method,
                     bool top_up_after) {
  nlohmann::json request = method;
  request["request_id"] = request_id;
  request["amount"] = eth::to_decimal(amount);
  request["top_up"] = top_up_after;
  host_.publish_json(serenity("buy"), request);
}

void MemberRole::on_operator_message(const std::string& kind, const nlohmann::json& body) {
  if (kind == "ack") {
    const std::string status = body.value("status", "");
    if (status == "accepted" || status == "duplicate") {
      service_->on_ack(eth::bytes32_from_hex(string_field(body, "channel_id", "ack")),
                       body.at("cycle").get<std::uint64_t>());
      last_ack_ = fmt::format("cycle {} {}", body.at("cycle").get<std::uint64_t>(), status);
    } else {
      last_ack_ = "rejected: " + body.value("reason", "");
      host_.error("operator rejected proof: " + body.value("reason", ""));
    }
  } else if (kind == "buy/result") {
    host_.publish_json("hepek/wallet/buy/result", body);
    if (body.value("status", "") == "minted") {
      if (body.value("request_id", "").rfind("auto-", 0) == 0)
        service_->store().set_meta("auto_buy_done", "1");
      if (service_->channel_id()) pending_top_up_ += eth::parse_uint256(body.value("amount", "0"));
    } else {
      host_.warn("purchase " + body.value("request_id", "") + " " + body.value("status", "") + ": " +
                 body.value("reason", ""));
    }
  } else if (kind == "close/result") {
    if (body.value("status", "") == "closed") {
      const eth::uint256 paid = eth::parse_uint256(body.value("paid", "0"));
      const eth::uint256 refunded = eth::parse_uint256(body.value("refunded", "0"));
      service_->store().set_meta(
          "paid_closed",
          eth::to_decimal(eth::parse_uint256(service_->store().meta("paid_closed", "0")) + paid));
      service_->store().set_meta(
          "refunded",
          eth::to_decimal(eth::parse_uint256(service_->store().meta("refunded", "0")) + refunded));
      service_->store().set_meta("closes",
                                 std::to_string(std::stoull(service_->store().meta("closes", "0")) + 1));
      service_->forget_channel();
      host_.info(fmt::format("channel closed: paid {}, refunded {}", eth::to_decimal(paid),
                             eth::to_decimal(refunded)));
    } else {
      close_requested_ = false;
      host_.error("close refused: " + body.value("reason", ""));
    }
  } else if (kind == "hello/result") {
    registration_ = body.value("status", registration_);
  }
  publish_wallet();
}

void MemberRole::tick(std::int64_t now_ms) {
  try {
    if (!service_->ready()) {
      publish_wallet();
      return;
    }
    if (registration_ != "claimed") {
      if (!hello_sent_) {
        host_.publish_json(serenity("hello"), {{"device", service_->device_address().checksummed()},
                                               {"owner", service_->owner_address().checksummed()}});
        hello_sent_ = true;
        return;  // the operator answers in this step's delivery
      }
      registration_ = service_->register_device();
      if (registration_ != "claimed") {
        publish_wallet();
        return;
      }
      host_.info("device " + device_id_ + " claimed by owner " + service_->owner_address().checksummed());
    }
    if (auto_buy_ > 0 && !auto_buy_sent_ && service_->store().meta("auto_buy_done").empty()) {
      auto_buy_sent_ = true;
      buy("auto-" + device_id_, auto_buy_, {{"card", config_.at("auto_buy_card").get<std::string>()}}, false);
    }
    auto channel = service_->channel_id();
    if (!channel && !close_requested_ && meter_wh_) {
      const eth::uint256 balance = service_->token_balance();
      if (balance > 0) {
        service_->open_channel(deposit_ == 0 ? balance : std::min(deposit_, balance), *meter_wh_);
        channel = service_->channel_id();
        next_cycle_ms_ = (now_ms / cycle_ms_ + 1) * cycle_ms_;
        host_.info(fmt::format("channel {} opened", eth::to_hex(*channel)));
      }
    }
    if (channel && pending_top_up_ > 0) {
      const eth::uint256 amount = std::min(pending_top_up_, service_->token_balance());
      pending_top_up_ = 0;
      if (amount > 0) {
        service_->top_up(amount);
        host_.info("channel topped up with " + eth::to_decimal(amount));
      }
    }
    if (channel && next_cycle_ms_ == 0) next_cycle_ms_ = (now_ms / cycle_ms_ + 1) * cycle_ms_;
    if (channel && meter_wh_ && now_ms >= next_cycle_ms_) {
      while (next_cycle_ms_ <= now_ms) next_cycle_ms_ += cycle_ms_;
      bill(now_ms);
    }
    if (channel && !close_requested_ && close_at_ms_ && now_ms >= *close_at_ms_) {
      if (meter_wh_) bill(now_ms);
      close_requested_ = true;
      host_.publish_json(serenity("close"), {{"channel_id", eth::to_hex(*channel)}});
    }
    const std::int64_t resend_ms = host_.is_simulation() ? 0 : 5000;
    if (now_ms - last_send_ms_ >= resend_ms && now_ms != last_send_ms_)
      send_pending();  // not before the ack could come
    apply_credit_rules(now_ms);
  } catch (const std::exception& error) {
    host_.error(std::string("wallet: ") + error.what());
  }
  publish_wallet();
}

void MemberRole::bill(std::int64_t now_ms) {
  if (const auto proof = service_->bill_cycle(*meter_wh_, now_ms)) {  // stored before it is sent
    last_send_ms_ = now_ms;
    nlohmann::json message = proof_to_json(*proof);
    message["meter_import_wh"] = eth::to_decimal(*meter_wh_);
    crash_point("member.after_store");
    host_.publish_json(serenity("proof"), message);
    crash_point("member.after_send");
  }
}

void MemberRole::send_pending() {
  if (const auto pending = service_->pending()) {
    last_send_ms_ = host_.now_ms();
    host_.publish_json(serenity("proof"), proof_to_json(*pending));
  }
}

void MemberRole::apply_credit_rules(std::int64_t now_ms) {
  const WalletState state = service_->state();
  if (state.channel_id.empty()) return;  // nothing bought yet: supply is not prepaid
  CreditInput input;
  input.remaining = state.remaining;
  input.low_threshold = low_threshold_;
  input.owner_override = owner_override_;
  input.inside_protected_hours =
      protected_hours_ && protected_hours_->contains(local_minute_of_day(now_ms, host_.timezone()));
  const eth::uint256 billed = eth::parse_uint256(service_->store().meta("billed_meter_wh", "0"));
  const eth::uint256 debt =
      meter_wh_ && *meter_wh_ > billed && service_->ready()
          ? price_of_energy(*meter_wh_ - billed,
                            eth::parse_uint256(tariff_json_->at("base_units_per_kwh").get<std::string>()))
          : eth::uint256(0);
  input.emergency_available = debt < emergency_allowance_;
  const CreditDecision decision = decide_credit(input);
  if (decision.state != credit_state_) {
    if (decision.warn)
      host_.publish_json("hepek/wallet/warning", {{"credit_state", decision.state},
                                                  {"remaining", eth::to_decimal(state.remaining)},
                                                  {"ts", iso8601_utc(now_ms)}});
    if (decision.warn)
      host_.warn(
          fmt::format("credit {}: {} base units left", decision.state, eth::to_decimal(state.remaining)));
    credit_state_ = decision.state;
  }
  if (!relay_.empty() && relay_on_ != decision.relay_on) {
    relay_on_ = decision.relay_on;
    if (!decision.relay_on) ++relay_off_switches_;
    host_.publish_json(topics::set(relay_), {{"state", decision.relay_on ? "on" : "off"}});
  }
}

CommandResult MemberRole::on_command(const nlohmann::json& command) {
  std::lock_guard lock(mutex_);
  if (command.contains("override")) owner_override_ = command["override"].get<bool>();
  apply_credit_rules(host_.now_ms());
  publish_wallet();
  return {};
}

void MemberRole::publish_wallet() {
  payloads::WalletMessage message;
  message.device_id = device_id_;
  message.registration = registration_;
  message.credit_state = credit_state_;
  message.override_on = owner_override_;
  message.meter_error = !meter_problem_.empty()           ? meter_problem_
                        : !meter_reading_problem_.empty() ? meter_reading_problem_
                        : !meter_wh_ ? "waiting for a reading of " + topics::state(meter_)
                                     : std::string();
  if (service_ && service_->ready()) {
    try {
      const WalletState state = service_->state();
      payloads::WalletChannel channel;
      channel.token_balance = eth::to_decimal(state.token_balance);
      channel.deposit = eth::to_decimal(state.deposit);
      channel.spent = eth::to_decimal(state.spent);
      channel.remaining = eth::to_decimal(state.remaining);
      channel.cycle = static_cast<std::int64_t>(state.cycle);
      channel.channel_id = state.channel_id;
      channel.device = service_->device_address().checksummed();
      channel.owner = service_->owner_address().checksummed();
      channel.last_proof =
          state.last_proof ? proof_to_json(state.last_proof->signed_proof) : nlohmann::json(nullptr);
      channel.last_proof_acked = state.last_proof ? state.last_proof->acked : false;
      channel.last_ack = last_ack_;
      message.channel = std::move(channel);
    } catch (const std::exception& error) {
      message.error = error.what();
    }
  }
  message.ts = iso8601_utc(host_.now_ms());
  const nlohmann::json wallet = message.to_json();
  host_.publish_json(topics::kWallet, wallet, 1, true);
  nlohmann::json state = wallet;
  state.erase("last_proof");
  host_.publish_state(host_.id(), state);
}

nlohmann::json MemberRole::summary() {
  if (!service_) return nullptr;
  std::lock_guard lock(mutex_);
  MemberStore& store = service_->store();
  const WalletState state = service_->ready() ? service_->state() : WalletState{};
  const eth::uint256 spent = eth::parse_uint256(store.meta("paid_closed", "0")) + state.spent;
  const std::uint64_t transactions = store.channel_tx_count() + std::stoull(store.meta("closes", "0"));
  return {{"chain",
           {{"channel_transactions", transactions},
            {"proofs_signed", store.proof_count()},
            {"tokens_spent", eth::to_decimal(spent)},
            {"tokens_refunded", store.meta("refunded", "0")},
            {"gas_used", service_->ready() ? service_->chain().gas_used() : 0},
            {"credit_state", credit_state_},
            {"relay_off_switches", relay_off_switches_}}}};
}

}  // namespace hepek::ergon
