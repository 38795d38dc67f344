#include "pricing.hpp"

namespace hepek::ergon {

eth::uint256 price_of_energy(const eth::uint256& wh, const eth::uint256& base_units_per_kwh) {
  const eth::uint256 product = eth::checked_mul(wh, base_units_per_kwh);
  return product / 1000 + (product % 1000 != 0 ? 1 : 0);
}

}  // namespace hepek::ergon
