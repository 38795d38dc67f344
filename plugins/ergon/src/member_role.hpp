// role = "member" (the HEPEK) on the bus: follows the operator's contracts and tariff, registers the device,
// buys tokens (hepek wallet buy / auto_buy), opens and tops up the channel, bills every cycle_s from the grid
// meter's cumulative import (the grid_meter interface's energy_import, role "grid", checked on the meter's
// retained config; a meter that does not implement it is logged as an error and shown as meter_error on the
// wallet, never silently ignored), resends unacknowledged proofs, applies the credit rules to the supply
// relay and publishes the wallet on hepek/wallet. See README.md "Bus protocol" and "Credit rules".
#pragma once

#include <memory>
#include <mutex>
#include <optional>

#include <hepek/plugin.hpp>

#include "credit_policy.hpp"
#include "member_service.hpp"

namespace hepek::ergon {

class MemberRole {
 public:
  MemberRole(Host& host, const nlohmann::json& config);
  void start();
  void step(std::int64_t now_ms);
  nlohmann::json summary();

 private:
  void tick(std::int64_t now_ms);
  void bill(std::int64_t now_ms);
  void send_pending();
  void apply_credit_rules(std::int64_t now_ms);
  void publish_wallet();
  void set_meter_problem(const std::string& problem);
  void read_meter_state();
  void on_operator_message(const std::string& kind, const nlohmann::json& body);
  void buy(const std::string& request_id, const eth::uint256& amount, const nlohmann::json& method,
           bool top_up_after);
  CommandResult on_command(const nlohmann::json& command);
  eth::Signature sign_with_key_store(const std::string& purpose, const eth::Bytes32& digest);
  std::string serenity(const std::string& topic) const;

  Host& host_;
  nlohmann::json config_;
  std::string device_id_;
  std::string relay_;
  std::string meter_;
  std::int64_t cycle_ms_;
  eth::uint256 low_threshold_;
  eth::uint256 emergency_allowance_;
  eth::uint256 deposit_;
  eth::uint256 auto_buy_;
  std::optional<ProtectedHours> protected_hours_;
  std::optional<std::int64_t> close_at_ms_;

  std::unique_ptr<MemberService> service_;
  std::recursive_mutex mutex_;
  std::optional<eth::uint256> meter_wh_;
  nlohmann::json meter_state_;         // the meter's last state, read once its config implements grid_meter
  std::string meter_problem_;          // why the meter cannot be billed from; empty when it can
  std::string meter_reading_problem_;  // why its last reading was not usable; empty when it was
  std::string registration_ = "waiting for operator";
  std::optional<nlohmann::json> tariff_json_;
  std::int64_t next_cycle_ms_ = 0;
  std::int64_t last_send_ms_ = 0;
  bool hello_sent_ = false;
  bool auto_buy_sent_ = false;
  bool close_requested_ = false;
  bool owner_override_ = false;
  std::string credit_state_ = "unknown";
  std::optional<bool> relay_on_;
  std::string last_ack_;
  eth::uint256 pending_top_up_;
  eth::uint256 refunded_;
  eth::uint256 paid_at_close_;
  std::uint64_t relay_off_switches_ = 0;
};

}  // namespace hepek::ergon
