// Gas per channel lifecycle, measured on a real anvil with the real contracts, and on-chain transactions per
// member-year at 15-minute billing cycles: the payment channel (open + monthly top-ups + close, proofs off
// chain) vs paying every cycle on chain with an ERC-20 transfer (gas of one transfer measured in the same
// run). Run: bench_ergon --benchmark_format=json (counters carry the figures).
#include <filesystem>
#include <random>

#include <benchmark/benchmark.h>

#include "member_service.hpp"
#include "operator_service.hpp"
#include "test_support.hpp"

namespace hepek::ergon {
namespace {

constexpr double kCyclesPerYear = 365.0 * 24 * 4;  // 15-minute cycles
constexpr double kTopUpsPerYear = 12;              // a monthly top-up

void BM_ChannelLifecycleGas(benchmark::State& state) {
  testing::AnvilProcess anvil;
  const auto root = std::filesystem::temp_directory_path() / ("bench_ergon_" + std::to_string(::getpid()));
  std::uint64_t lifecycle_gas = 0, open_gas = 0, top_up_gas = 0, close_gas = 0, transfer_gas = 0, proofs = 0;
  int round = 0;
  for (auto _ : state) {
    const auto dir = root / std::to_string(round++);
    std::filesystem::create_directories(dir / "operator");
    std::filesystem::create_directories(dir / "member");
    OperatorConfig oc;
    oc.data_dir = (dir / "operator").string();
    oc.rpc_url = anvil.url();
    oc.base_units_per_kwh = eth::parse_units("0.25", 18);
    OperatorService op(oc);
    const eth::PrivateKey device = eth::PrivateKey::generate();
    MemberConfig mc{(dir / "member").string(),
                    anvil.url(),
                    "BENCH-" + std::to_string(round),
                    device.address(),
                    [device](const eth::Bytes32& d) { return device.sign(d); },
                    [device](const eth::Bytes32& d) { return device.sign(d); }};
    MemberService member(mc);
    member.set_contracts(op.chain().contracts(), op.address());
    member.set_tariff(op.tariff(0));
    op.manufacture(mc.device_id, device.address(), member.owner_address());
    member.register_device();
    op.buy("bench", mc.device_id, eth::parse_units("100", 18),
           {PaymentMethod::Kind::card, "4242424242424242"});
    const std::uint64_t before = member.chain().gas_used();
    member.open_channel(eth::parse_units("50", 18), 0);
    open_gas = member.chain().gas_used() - before;
    std::mt19937_64 rng(7);
    std::uint64_t meter = 0;
    for (int cycle = 0; cycle < 96; ++cycle) {  // a day of cycles, off chain
      meter += 1 + rng() % 400;
      const auto proof = member.bill_cycle(meter, cycle);
      op.handle_proof(mc.device_id, *proof, cycle);
      ++proofs;
    }
    const std::uint64_t before_top_up = member.chain().gas_used();
    member.top_up(eth::parse_units("10", 18));
    top_up_gas = member.chain().gas_used() - before_top_up;
    const std::uint64_t before_close = op.chain().gas_used();
    op.close_channel(*member.channel_id());
    close_gas = op.chain().gas_used() - before_close;
    lifecycle_gas = open_gas + close_gas;
    // One cycle paid on chain instead: an ERC-20 transfer device → operator.
    const eth::Receipt transfer =
        eth::send_transaction(
            member.chain().rpc(), device,
            {2,
             op.chain().contracts().token,
             0,
             eth::encode_call("transfer(address,uint256)",
                              {eth::AbiValue::address(op.address()), eth::AbiValue::uint(1)}),
             {},
             std::nullopt,
             std::nullopt,
             std::nullopt})
            .receipt;
    transfer_gas = transfer.gas_used;
  }
  std::filesystem::remove_all(root);
  const double channel_txs_per_year = 2 + kTopUpsPerYear;
  state.counters["gas_open"] = static_cast<double>(open_gas);
  state.counters["gas_top_up"] = static_cast<double>(top_up_gas);
  state.counters["gas_close_cooperative"] = static_cast<double>(close_gas);
  state.counters["gas_per_lifecycle"] = static_cast<double>(lifecycle_gas);
  state.counters["gas_per_transfer"] = static_cast<double>(transfer_gas);
  state.counters["channel_txs_per_member_year"] = channel_txs_per_year;
  state.counters["per_cycle_txs_per_member_year"] = kCyclesPerYear;
  state.counters["channel_gas_per_member_year"] = lifecycle_gas + kTopUpsPerYear * top_up_gas;
  state.counters["per_cycle_gas_per_member_year"] = kCyclesPerYear * transfer_gas;
  state.counters["tx_reduction_factor"] = kCyclesPerYear / channel_txs_per_year;
  state.counters["proofs_verified"] = static_cast<double>(proofs);
}
BENCHMARK(BM_ChannelLifecycleGas)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hepek::ergon

BENCHMARK_MAIN();
