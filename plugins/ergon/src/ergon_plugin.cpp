// The ergon plugin (org.hepek.ergon): role = "member" (the HEPEK's prepaid wallet) or "operator" (Serenity),
// plus the `hepek eth ...`, `hepek wallet ...` and `hepek operator ...` commands.
#include <memory>

#include <hepek/plugin.hpp>

#include "bus_commands.hpp"
#include "hepek/eth/cli.hpp"
#include "member_role.hpp"
#include "operator_role.hpp"

namespace hepek::ergon {

class ErgonPlugin : public Plugin {
 public:
  static constexpr const char* category = "wallet";
  static constexpr const char* description =
      "Prepaid energy with ERGON tokens: member wallet or operator (Serenity)";

  // One plugin type, two roles with separate keys: every role-specific key is scoped with only_when, so a member
  // table with an operator key (or the reverse) is a config error naming the key.
  static std::vector<ConfigRow> config_schema() {
    const auto member = [](ConfigRow row) { return row.only_when("role", "member"); };
    const auto operator_only = [](ConfigRow row) { return row.only_when("role", "operator"); };
    return {
        ConfigRow{"role", HEPEK_CONFIG_STRING, "", true, "\"member\" (the HEPEK) or \"operator\" (Serenity)"}
            .one_of({"member", "operator"}),
        member(ConfigRow{"cycle_s", HEPEK_CONFIG_DURATION, "900", false,
                         "member: billing cycle (seconds, or e.g. \"15m\")"}
                   .at_least(1)),
        member({"device_id", HEPEK_CONFIG_STRING, "\"\"", false,
                "member: the device id the operator manufactured"}),
        member({"meter", HEPEK_CONFIG_STRING, "\"grid\"", false,
                "member: grid meter device (state import_wh, cumulative)"}),
        member(
            {"relay", HEPEK_CONFIG_STRING, "\"relay\"", false, "member: supply relay device; empty = none"}),
        member({"low_threshold", HEPEK_CONFIG_STRING, "\"1\"", false,
                "member: ERGON left below which the member is warned"}),
        member({"emergency_allowance", HEPEK_CONFIG_STRING, "\"0\"", false,
                "member: ERGON of energy allowed on credit at zero balance (repaid from the next top-up)"}),
        member({"protected_hours", HEPEK_CONFIG_STRING, "\"\"", false,
                "member: never cut inside, e.g. \"22:00-07:00\" (home time)"}),
        member({"deposit", HEPEK_CONFIG_STRING, "\"0\"", false,
                "member: ERGON locked when opening a channel; 0 = all"}),
        member({"auto_buy", HEPEK_CONFIG_STRING, "\"0\"", false,
                "member: ERGON bought once at start (sandbox/simulation)"}),
        member({"auto_buy_card", HEPEK_CONFIG_STRING, "\"4242424242424242\"", false,
                "member: test card for auto_buy"}),
        member({"close_at", HEPEK_CONFIG_STRING, "\"\"", false,
                "member: close the channel at this ISO 8601 time"}),
        operator_only({"key_file", HEPEK_CONFIG_PATH, "\"\"", false,
                       "operator: key file; empty = <data dir>/operator.key"}),
        operator_only({"tariff_per_kwh", HEPEK_CONFIG_STRING, "\"0.25\"", false,
                       "operator: ERGON per kWh it signs and publishes"}),
        operator_only(ConfigRow{"challenge_period_s", HEPEK_CONFIG_DURATION, "3600", false,
                                "operator: challenge window of device closes"}
                          .at_least(1)),
        operator_only({"registry", HEPEK_CONFIG_STRING, "\"\"", false,
                       "operator: Registry address on an external chain"}),
        operator_only({"token", HEPEK_CONFIG_STRING, "\"\"", false,
                       "operator: ErgonToken address on an external chain"}),
        operator_only({"channel", HEPEK_CONFIG_STRING, "\"\"", false,
                       "operator: PaymentChannel address on an external chain"}),
        operator_only({"test_chain", HEPEK_CONFIG_BOOLEAN, "true", false,
                       "operator: anvil: fund accounts with anvil_setBalance"}),
        operator_only({"auto_manufacture", HEPEK_CONFIG_BOOLEAN, "false", false,
                       "operator: register devices that say hello (sandbox/simulation only)"}),
        operator_only(
            {"contracts_dir", HEPEK_CONFIG_PATH, "\"\"", false,
             "operator: compiled contract artifacts (*.json); empty = the build's contracts directory"}),
        operator_only(ConfigRow{"watch_s", HEPEK_CONFIG_DURATION, "60", false,
                                "operator: how often to look for device-initiated closes"}
                          .at_least(1)),
    };
  }

  static std::vector<TopicGrant> topics() {
    return {{"serenity/#", HEPEK_ACCESS_BOTH},
            {"hepek/wallet", HEPEK_ACCESS_PUBLISH},
            {"hepek/wallet/#", HEPEK_ACCESS_BOTH},
            {"hepek/{relay}/set", HEPEK_ACCESS_PUBLISH}};
  }

  static std::vector<CliCommand> cli_commands() {
    return {
        HEPEK_CLI("eth keccak", eth::kEthKeccakHelp, eth::eth_keccak_command),
        HEPEK_CLI("eth address", eth::kEthAddressHelp, eth::eth_address_command),
        HEPEK_CLI("eth sign-tx", eth::kEthSignTxHelp, eth::eth_sign_tx_command),
        HEPEK_CLI("wallet buy", "buy ERGON: AMOUNT [--card NUMBER | --iban IBAN] (asks the operator)",
                  wallet_buy_command),
        HEPEK_CLI("wallet close", "close the prepaid channel cooperatively", wallet_close_command),
        HEPEK_CLI("operator manufacture", "register a device: --device-id ID --address ADDR [--owner ADDR]",
                  operator_manufacture_command)};
  }

  ErgonPlugin(Host& host, const nlohmann::json& config) : Plugin(host) {
    const std::string role = config.at("role").get<std::string>();
    if (role == "member") {
      member_ = std::make_unique<MemberRole>(host, config);
    } else if (role == "operator") {
      operator_ = std::make_unique<OperatorRole>(host, config);
    } else {
      throw std::invalid_argument("role \"" + role + "\": expected \"member\" or \"operator\"");
    }
  }

  void start() override {
    if (member_) member_->start();
    if (operator_) operator_->start();
  }

  void step(Phase phase, int64_t now_ms) override {
    if (phase != Phase::sense) return;
    if (member_) member_->step(now_ms);
    if (operator_) operator_->step(now_ms);
  }

  nlohmann::json summary() override { return member_ ? member_->summary() : operator_->summary(); }

 private:
  std::unique_ptr<MemberRole> member_;
  std::unique_ptr<OperatorRole> operator_;
};

}  // namespace hepek::ergon

HEPEK_PLUGIN(hepek::ergon::ErgonPlugin, "org.hepek.ergon", "0.1.0")
