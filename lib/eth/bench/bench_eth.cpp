// Balance proofs signed and verified per second through hepek_eth (EIP-712 digest + sign / digest + recover
// to an address) against raw libsecp256k1 sign_recoverable / recover on precomputed digests, measured
// interleaved in the same run. Counters: *_per_s for both paths and ratio = hepek rate / raw rate (goal >=
// 0.8).
#include <time.h>

#include <chrono>
#include <stdexcept>

#include <benchmark/benchmark.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "hepek/eth/keccak.hpp"
#include "hepek/eth/keys.hpp"
#include "hepek/eth/typed_messages.hpp"

namespace {

using namespace hepek::eth;
// Thread CPU time, not wall time: the machine is shared, and a descheduled thread must not count against either side.
struct Clock {
  using duration = std::chrono::nanoseconds;
  static duration now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
  }
};

constexpr int kBatch = 32;

struct Fixture {
  PrivateKey key = PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  Bytes32 separator = domain_separator(
      {"ERGON PaymentChannel", "1", 31337, Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3")});
  secp256k1_context* raw = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  BalanceProof proof(std::uint64_t cycle) const {
    return {keccak256_text("channel"), uint256(cycle) * 12345678901234ull, uint256(cycle) * 250, cycle};
  }
  Fixture() {
    Bytes32 seed = keccak256_text("bench seed");
    if (!secp256k1_context_randomize(raw, seed.data()))
      throw std::runtime_error("secp256k1 randomize failed");
  }
  ~Fixture() { secp256k1_context_destroy(raw); }
};

Fixture& fixture() {
  static Fixture instance;
  return instance;
}

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

void BM_BalanceProofSign(benchmark::State& state) {
  Fixture& f = fixture();
  Clock::duration hepek_time{}, raw_time{};
  std::uint64_t cycle = 0, done = 0;
  std::array<Bytes32, kBatch> digests;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    for (int i = 0; i < kBatch; ++i) {
      const Signature signature = f.key.sign(f.proof(++cycle).digest(f.separator));
      benchmark::DoNotOptimize(signature);
    }
    const auto t1 = Clock::now();
    // Raw baseline signs the same digests, computed outside its timed section.
    for (int i = 0; i < kBatch; ++i)
      digests[static_cast<std::size_t>(i)] = f.proof(cycle - kBatch + 1 + i).digest(f.separator);
    const auto t2 = Clock::now();
    for (const auto& digest : digests) {
      secp256k1_ecdsa_recoverable_signature sig;
      secp256k1_ecdsa_sign_recoverable(f.raw, &sig, digest.data(), f.key.secret_bytes().data(), nullptr,
                                       nullptr);
      unsigned char compact[64];
      int recid = 0;
      secp256k1_ecdsa_recoverable_signature_serialize_compact(f.raw, compact, &recid, &sig);
      benchmark::DoNotOptimize(compact);
    }
    const auto t3 = Clock::now();
    hepek_time += t1 - t0;
    raw_time += t3 - t2;
    done += kBatch;
  }
  const double hepek_rate = static_cast<double>(done) / seconds(hepek_time);
  const double raw_rate = static_cast<double>(done) / seconds(raw_time);
  state.counters["proofs_signed_per_s"] = hepek_rate;
  state.counters["raw_secp256k1_signs_per_s"] = raw_rate;
  state.counters["ratio"] = hepek_rate / raw_rate;
}
BENCHMARK(BM_BalanceProofSign)->Unit(benchmark::kMillisecond);

void BM_BalanceProofVerify(benchmark::State& state) {
  Fixture& f = fixture();
  std::vector<BalanceProof> proofs;
  std::vector<Signature> signatures;
  std::vector<Bytes32> digests;
  for (std::uint64_t cycle = 1; cycle <= kBatch; ++cycle) {
    proofs.push_back(f.proof(cycle));
    digests.push_back(proofs.back().digest(f.separator));
    signatures.push_back(f.key.sign(digests.back()));
  }
  const Address signer = f.key.address();
  Clock::duration hepek_time{}, raw_time{};
  std::uint64_t done = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    for (int i = 0; i < kBatch; ++i) {
      const auto index = static_cast<std::size_t>(i);
      const Address recovered = recover_address(proofs[index].digest(f.separator), signatures[index]);
      if (recovered != signer) state.SkipWithError("recovered a different signer");
    }
    const auto t1 = Clock::now();
    for (int i = 0; i < kBatch; ++i) {
      const auto index = static_cast<std::size_t>(i);
      unsigned char compact[64];
      std::copy(signatures[index].r.begin(), signatures[index].r.end(), compact);
      std::copy(signatures[index].s.begin(), signatures[index].s.end(), compact + 32);
      secp256k1_ecdsa_recoverable_signature sig;
      secp256k1_ecdsa_recoverable_signature_parse_compact(f.raw, &sig, compact, signatures[index].v);
      secp256k1_pubkey pubkey;
      const int ok = secp256k1_ecdsa_recover(f.raw, &pubkey, &sig, digests[index].data());
      benchmark::DoNotOptimize(ok);
      benchmark::DoNotOptimize(pubkey);
    }
    const auto t2 = Clock::now();
    hepek_time += t1 - t0;
    raw_time += t2 - t1;
    done += kBatch;
  }
  const double hepek_rate = static_cast<double>(done) / seconds(hepek_time);
  const double raw_rate = static_cast<double>(done) / seconds(raw_time);
  state.counters["proofs_verified_per_s"] = hepek_rate;
  state.counters["raw_secp256k1_recovers_per_s"] = raw_rate;
  state.counters["ratio"] = hepek_rate / raw_rate;
}
BENCHMARK(BM_BalanceProofVerify)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
