// hepek/wallet (retained, topic contract version 2): the ERGON member's wallet. Money is never a float: every
// amount is an integer of the token's base unit (18 decimals) as a decimal string.
//
//   {"schema":2,"device_id":"HEPEK-0001","registration":"claimed","credit_state":"ok","override":false,
//    "token_balance":"0","deposit":"5000000000000000000","spent":"120000000000000","remaining":"...",
//    "cycle":3,"channel_id":"0x..","device":"0x..","owner":"0x..","last_proof":{...}|null,
//    "last_proof_acked":true,"last_ack":"cycle 3 accepted","error"?: "...","meter_error"?: "...","ts":"..."}
// Before the chain is reachable only device_id, registration, credit_state, override and ts are present.
//
// Contract: header-only value type; parse() never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "../result.hpp"
#include "json_fields.hpp"

namespace hepek::payloads {

// The channel part of the wallet, known once the member reaches the chain.
struct WalletChannel {
  std::string token_balance, deposit, spent, remaining;  // base units, decimal strings
  std::int64_t cycle = 0;
  std::string channel_id, device, owner;
  nlohmann::json last_proof;  // the last signed balance proof (plugins/ergon README), or null
  bool last_proof_acked = false;
  std::string last_ack;

  bool operator==(const WalletChannel&) const = default;
};

struct WalletMessage {
  std::string device_id;
  std::string registration;
  std::string credit_state;
  bool override_on = false;  // "override": the owner keeps the supply on
  std::optional<WalletChannel> channel;
  std::string error;        // the chain could not be read, when non-empty
  std::string meter_error;  // why the member cannot bill (no grid_meter, waiting for it), when non-empty
  std::string ts;

  nlohmann::json to_json() const {
    nlohmann::json j{{"schema", 2},
                     {"device_id", device_id},
                     {"registration", registration},
                     {"credit_state", credit_state},
                     {"override", override_on}};
    if (channel) {
      j["token_balance"] = channel->token_balance;
      j["deposit"] = channel->deposit;
      j["spent"] = channel->spent;
      j["remaining"] = channel->remaining;
      j["cycle"] = channel->cycle;
      j["channel_id"] = channel->channel_id;
      j["device"] = channel->device;
      j["owner"] = channel->owner;
      j["last_proof"] = channel->last_proof;
      j["last_proof_acked"] = channel->last_proof_acked;
      j["last_ack"] = channel->last_ack;
    }
    if (!error.empty()) j["error"] = error;
    if (!meter_error.empty()) j["meter_error"] = meter_error;
    j["ts"] = ts;
    return j;
  }

  static Result<WalletMessage> parse(const nlohmann::json& json) {
    using R = Result<WalletMessage>;
    const std::string what = "hepek/wallet";
    if (!json.is_object()) return R::failure(what + " is not a JSON object");
    WalletMessage m;
    fields::Reader top(json, "");
    m.device_id = top.string("device_id");
    m.registration = top.optional_string("registration");
    m.credit_state = top.optional_string("credit_state");
    m.override_on = top.optional_boolean("override");
    m.error = top.optional_string("error");
    m.meter_error = top.optional_string("meter_error");
    m.ts = top.optional_string("ts");
    if (!top.ok()) return R::failure(what + ": " + top.error());
    if (json.contains("token_balance")) {
      WalletChannel c;
      fields::Reader r(json, "");
      c.token_balance = r.decimal_string("token_balance");
      c.deposit = r.decimal_string("deposit");
      c.spent = r.decimal_string("spent");
      c.remaining = r.decimal_string("remaining");
      c.cycle = r.integer("cycle");
      c.channel_id = r.optional_string("channel_id");
      c.device = r.optional_string("device");
      c.owner = r.optional_string("owner");
      c.last_proof_acked = r.optional_boolean("last_proof_acked");
      c.last_ack = r.optional_string("last_ack");
      if (!r.ok()) return R::failure(what + ": " + r.error());
      c.last_proof = json.value("last_proof", nlohmann::json());
      if (!c.last_proof.is_null() && !c.last_proof.is_object())
        return R::failure(what + ": last_proof is neither an object nor null");
      m.channel = std::move(c);
    }
    return R::success(std::move(m));
  }

  // Text overloads (a std::string would otherwise convert to both string_view and json).
  static Result<WalletMessage> parse(const std::string& text) { return parse(std::string_view(text)); }
  static Result<WalletMessage> parse(const char* text) { return parse(std::string_view(text)); }
  static Result<WalletMessage> parse(std::string_view text) {
    auto json = fields::object_from_text(text, "hepek/wallet");
    if (!json) return Result<WalletMessage>::failure(json.error());
    return parse(*json);
  }
};

}  // namespace hepek::payloads
