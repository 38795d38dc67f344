// Deterministic random numbers for synthetic series.
//
// Contract: values depend only on (seed, stream, index) and are identical on every platform: the generator is
// std::mt19937_64 (fully specified by the standard) and the distributions are written here, because
// libstdc++'s std::uniform_real_distribution / std::normal_distribution are implementation-defined. A stream
// is seeded per (seed, stream) — e.g. per simulated day — so a series is a pure function of time, whatever
// the step size or order.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

namespace hepek::sim {

// SplitMix64 finaliser: spreads (seed, stream) into a well-mixed 64-bit engine seed.
inline std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t z = seed * 0x9E3779B97F4A7C15ULL + stream + 0x632BE59BD9B4E019ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class SeededRandom {
 public:
  SeededRandom(std::uint64_t seed, std::uint64_t stream) : engine_(mix_seed(seed, stream)) {}
  // Uniform in [0, 1): the top 53 bits of one draw.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Standard normal by Box–Muller (one value per two uniforms; the second is discarded for simplicity).
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace hepek::sim
