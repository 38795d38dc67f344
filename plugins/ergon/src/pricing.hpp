// Pricing of metered energy in ERGON base units (integers only).
//
// Contract: price_of_energy(wh, base_units_per_kwh) = ceil(wh × base_units_per_kwh / 1000), exact in 256-bit
// integers (overflow throws std::overflow_error). The member prices each cycle's import with it; the operator
// checks every proof's increment against it (Δamount ≥ price_of_energy(ΔWh)), which the member's per-cycle
// rounding always satisfies because Σ ceil(x_i) ≥ ceil(Σ x_i).
#pragma once

#include "hepek/eth/uint256.hpp"

namespace hepek::ergon {

eth::uint256 price_of_energy(const eth::uint256& wh, const eth::uint256& base_units_per_kwh);

}  // namespace hepek::ergon
