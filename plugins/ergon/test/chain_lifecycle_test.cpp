// Integration: operator and member services against a real anvil with the real contracts (no hub):
// manufacture + claim, buy, open, 96 billing cycles, top-up, cooperative close with balances reconciled to
// the base unit; every attack rejected by the operator and on chain; a stale device-initiated close
// challenged and corrected.
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "hepek/eth/keccak.hpp"
#include "member_service.hpp"
#include "operator_service.hpp"
#include "pricing.hpp"
#include "test_support.hpp"

namespace hepek::ergon {
namespace {

const eth::uint256 kTariff = eth::parse_units("0.25", 18);  // ERGON base units per kWh
const eth::PrivateKey kDeviceKey =
    eth::PrivateKey::from_hex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");

struct Dirs {
  hepek::testing::TempDir temp;  // removed with everything in it
  std::filesystem::path root = temp.path();
  Dirs() {
    std::filesystem::create_directories(root / "operator");
    std::filesystem::create_directories(root / "member");
  }
};

MemberConfig member_config(const std::string& dir, const std::string& url, const eth::PrivateKey& device) {
  MemberConfig config;
  config.data_dir = dir;
  config.rpc_url = url;
  config.device_id = "HEPEK-0001";
  config.device = device.address();
  config.transaction_signer = [device](const eth::Bytes32& d) { return device.sign(d); };
  config.proof_signer = [device](const eth::Bytes32& d) { return device.sign(d); };
  return config;
}

SignedProof sign_with(const eth::PrivateKey& key, const eth::BalanceProof& proof, std::uint64_t chain_id,
                      const eth::Address& contract) {
  const auto bytes = key.sign(proof_digest(proof, chain_id, contract)).to_bytes_v27();
  return {proof, eth::Bytes(bytes.begin(), bytes.end())};
}

class ChainLifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    HEPEK_REQUIRE_ANVIL();
    anvil = std::make_unique<testing::AnvilProcess>();
    OperatorConfig config;
    config.data_dir = (dirs.root / "operator").string();
    config.rpc_url = anvil->url();
    config.challenge_period_s = 3600;
    config.base_units_per_kwh = kTariff;
    op = std::make_unique<OperatorService>(config);
    member = std::make_unique<MemberService>(
        member_config((dirs.root / "member").string(), anvil->url(), kDeviceKey));
    member->set_contracts(op->chain().contracts(), op->address());
    ASSERT_EQ(member->set_tariff(op->tariff(0)), "");
  }

  void register_and_buy(const eth::uint256& amount) {
    EXPECT_EQ(member->register_device(), "not manufactured");
    op->manufacture("HEPEK-0001", kDeviceKey.address(), member->owner_address());
    EXPECT_EQ(member->register_device(), "claimed");
    const auto paid =
        op->buy("req-1", "HEPEK-0001", amount, {PaymentMethod::Kind::card, "4242 4242 4242 4242"});
    EXPECT_EQ(paid.status, "minted") << paid.reason;
  }

  Dirs dirs;
  std::unique_ptr<testing::AnvilProcess> anvil;
  std::unique_ptr<OperatorService> op;
  std::unique_ptr<MemberService> member;
};

TEST_F(ChainLifecycle, NinetySixCyclesTopUpCooperativeCloseReconcileToTheBaseUnit) {
  register_and_buy(eth::parse_units("20", 18));
  // Declined and repeated requests neither charge nor mint.
  const auto declined = op->buy("req-2", "HEPEK-0001", eth::parse_units("5", 18),
                                {PaymentMethod::Kind::card, "4000000000000002"});
  EXPECT_EQ(declined.status, "declined");
  EXPECT_EQ(declined.reason, "declined: card declined");
  EXPECT_EQ(op->buy("req-1", "HEPEK-0001", eth::parse_units("20", 18),
                    {PaymentMethod::Kind::card, "4242424242424242"})
                .status,
            "minted");
  EXPECT_EQ(op->buy("req-3", "NOBODY", 1, {PaymentMethod::Kind::card, "4242424242424242"}).reason,
            "device id \"NOBODY\" is not registered");
  EXPECT_EQ(member->token_balance(), eth::parse_units("20", 18));

  const eth::uint256 first_deposit = eth::parse_units("5", 18);
  member->open_channel(first_deposit, 5000);
  const eth::Bytes32 channel = *member->channel_id();
  EXPECT_EQ(op->chain().get_channel(channel).deposit, first_deposit);

  std::mt19937_64 rng(20240101);
  eth::uint256 meter = 5000, expected_spent = 0;
  const eth::uint256 top_up = eth::parse_units("4", 18);
  for (int cycle = 1; cycle <= 96; ++cycle) {
    const eth::uint256 wh = rng() % 600 + 1;
    meter += wh;
    expected_spent += price_of_energy(wh, kTariff);
    const auto proof = member->bill_cycle(meter, cycle * 900000);
    ASSERT_TRUE(proof);
    ASSERT_EQ(member->pending()->proof.cycle, static_cast<std::uint64_t>(cycle));  // stored before sending
    const ProofCheck check = op->handle_proof("HEPEK-0001", *proof, cycle * 900000);
    ASSERT_EQ(check.verdict, ProofVerdict::accepted) << "cycle " << cycle << ": " << check.reason;
    member->on_ack(proof->proof.channel_id, proof->proof.cycle);
    EXPECT_FALSE(member->pending());
    // A resend of the same proof (lost ack) is re-acknowledged, not counted twice.
    EXPECT_EQ(op->handle_proof("HEPEK-0001", *proof, cycle * 900000).verdict, ProofVerdict::duplicate);
    if (cycle == 48) member->top_up(top_up);
  }
  const WalletState state = member->state();
  EXPECT_EQ(state.spent, expected_spent);
  EXPECT_EQ(state.cycle, 96u);
  EXPECT_EQ(state.deposit, first_deposit + top_up);
  EXPECT_EQ(op->store().proof_count(channel), 96u);

  const auto closed = op->close_channel(channel);
  ASSERT_TRUE(closed);
  EXPECT_TRUE(closed->cooperative);
  EXPECT_EQ(closed->paid_to_operator, expected_spent);
  EXPECT_EQ(closed->paid_to_operator + closed->refunded_to_device, first_deposit + top_up);
  EXPECT_EQ(op->chain().balance_of(op->address()), expected_spent);
  EXPECT_EQ(member->token_balance(), eth::parse_units("20", 18) - expected_spent);
  EXPECT_EQ(op->chain().get_channel(channel).state, 3);
  // Two device transactions for 96 cycles (open, top-up); the close was the operator's.
  EXPECT_EQ(member->store().channel_tx_count(), 2u);
}

TEST_F(ChainLifecycle, AttacksAreRejectedByTheOperatorAndOnChain) {
  register_and_buy(eth::parse_units("10", 18));
  member->open_channel(eth::parse_units("1", 18), 0);
  const eth::Bytes32 channel = *member->channel_id();
  const auto first = member->bill_cycle(2000, 900000);  // 2 kWh = 0.5 ERGON
  ASSERT_EQ(op->handle_proof("HEPEK-0001", *first, 1).verdict, ProofVerdict::accepted);
  const std::uint64_t chain_id = op->chain().chain_id();
  const eth::Address contract = op->chain().contracts().channel;
  const eth::uint256 spent = first->proof.cumulative_amount;
  auto expect_rejected = [&](const SignedProof& proof, const std::string& reason,
                             const std::string& device_id = "HEPEK-0001") {
    const ProofCheck check = op->handle_proof(device_id, proof, 2);
    EXPECT_EQ(check.verdict, ProofVerdict::rejected) << reason;
    EXPECT_NE(check.reason.find(reason), std::string::npos) << check.reason;
  };
  const eth::BalanceProof next{channel, spent + price_of_energy(100, kTariff), 2100, 2};

  const auto stranger =
      eth::PrivateKey::from_hex("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");
  expect_rejected(sign_with(stranger, next, chain_id, contract), "not the device key");
  expect_rejected(sign_with(kDeviceKey, next, 1, contract), "not the device key");  // replay for chain id 1
  expect_rejected(sign_with(kDeviceKey, next, chain_id,
                            eth::Address::parse("0x00000000000000000000000000000000000000aa")),
                  "not the device key");  // another contract
  eth::BalanceProof other_channel = next;
  other_channel.channel_id = eth::keccak256_text("another channel");
  expect_rejected(sign_with(kDeviceKey, other_channel, chain_id, contract), "unknown channel");
  expect_rejected(sign_with(kDeviceKey, {channel, spent - 1, 2100, 2}, chain_id, contract),
                  "amount decreases");
  expect_rejected(
      sign_with(kDeviceKey, {channel, eth::parse_units("1", 18) + 1, 2100, 2}, chain_id, contract),
      "above the deposit");
  expect_rejected(sign_with(kDeviceKey, {channel, spent + 1, 3000, 2}, chain_id, contract),
                  "below metered energy x tariff");
  SignedProof high_s = sign_with(kDeviceKey, next, chain_id, contract);
  {
    eth::Signature sig = eth::Signature::from_bytes(high_s.signature);
    const eth::uint256 n = eth::from_be(eth::curve_order());
    sig.s = eth::to_be32(n - eth::from_be(sig.s));
    sig.v ^= 1;
    const auto bytes = sig.to_bytes_v27();
    high_s.signature.assign(bytes.begin(), bytes.end());
  }
  expect_rejected(high_s, "bad signature");
  expect_rejected(sign_with(kDeviceKey, next, chain_id, contract), "not registered", "HEPEK-9999");

  // On chain the contract refuses the same: high-s, another signer, above the deposit.
  try {
    op->chain().close(op->account(), high_s);
    ADD_FAILURE() << "high-s close accepted";
  } catch (const ChainError& error) {
    EXPECT_NE(std::string(error.what()).find("ECDSAInvalidSignatureS"), std::string::npos) << error.what();
  }
  try {
    op->chain().close(op->account(), sign_with(stranger, next, chain_id, contract));
    ADD_FAILURE() << "foreign signer accepted";
  } catch (const ChainError& error) {
    EXPECT_NE(std::string(error.what()).find("ProofSignerNotDevice"), std::string::npos) << error.what();
  }
  try {
    op->chain().close(op->account(), sign_with(kDeviceKey, {channel, eth::parse_units("2", 18), 2100, 2},
                                               chain_id, contract));
    ADD_FAILURE() << "over-deposit close accepted";
  } catch (const ChainError& error) {
    EXPECT_NE(std::string(error.what()).find("AmountAboveDeposit"), std::string::npos) << error.what();
  }
  // An unregistered device cannot open a channel.
  const auto rogue =
      eth::PrivateKey::from_hex("0x0f4e2a4a5b9bb7f4bd7b7a4b3b7a0e6d1c2b3a495867768594a3b2c1d0e0f101");
  op->fund(rogue.address());
  try {
    op->chain().open_with_permit(ChainAccount::from_key(rogue), 1);
    ADD_FAILURE() << "unregistered device opened a channel";
  } catch (const ChainError& error) {
    EXPECT_NE(std::string(error.what()).find("DeviceNotActive"), std::string::npos) << error.what();
  }
}

TEST_F(ChainLifecycle, StaleDeviceCloseIsChallengedAndCorrected) {
  register_and_buy(eth::parse_units("10", 18));
  const eth::uint256 deposit = eth::parse_units("2", 18);
  member->open_channel(deposit, 0);
  const eth::Bytes32 channel = *member->channel_id();
  std::optional<SignedProof> first, last;
  for (int cycle = 1; cycle <= 3; ++cycle) {
    last = member->bill_cycle(cycle * 1000, cycle * 900000);
    if (!first) first = last;
    ASSERT_EQ(op->handle_proof("HEPEK-0001", *last, cycle).verdict, ProofVerdict::accepted);
    member->on_ack(channel, cycle);
  }
  member->request_close(first);  // claims only the first cycle
  EXPECT_EQ(op->chain().get_channel(channel).claimed_amount, first->proof.cumulative_amount);
  const auto actions = op->watch_closes();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_NE(actions[0].find("challenged"), std::string::npos);
  // The challenge already paid out? No: the window runs; after it anyone settles with the corrected amount.
  EXPECT_EQ(op->chain().get_channel(channel).claimed_amount, last->proof.cumulative_amount);
  op->chain().rpc().increase_time(3601);
  op->chain().rpc().mine();
  const auto settled = op->watch_closes();
  ASSERT_EQ(settled.size(), 1u) << (settled.empty() ? "" : settled[0]);
  const ChannelInfo info = op->chain().get_channel(channel);
  EXPECT_EQ(info.state, 3);
  EXPECT_EQ(info.claimed_amount, last->proof.cumulative_amount);
  EXPECT_EQ(op->chain().balance_of(op->address()), last->proof.cumulative_amount);
  EXPECT_EQ(member->token_balance(), eth::parse_units("10", 18) - last->proof.cumulative_amount);
}

TEST_F(ChainLifecycle, ResetChainIsDetected) {
  OperatorConfig config;
  config.data_dir = (dirs.root / "operator").string();
  config.base_units_per_kwh = kTariff;
  testing::AnvilProcess other(1700000000);  // another genesis
  config.rpc_url = other.url();
  try {
    OperatorService again(config);
    FAIL() << "reused a deployment on a reset chain";
  } catch (const ChainError& error) {
    EXPECT_NE(std::string(error.what()).find("was reset"), std::string::npos) << error.what();
  }
  config.rpc_url = anvil->url();
  OperatorService same(config);  // same chain: the recorded deployment is reused, nothing redeployed
  EXPECT_EQ(same.chain().contracts().channel, op->chain().contracts().channel);
  EXPECT_EQ(same.deployment_gas(), 0u);
}

}  // namespace
}  // namespace hepek::ergon
