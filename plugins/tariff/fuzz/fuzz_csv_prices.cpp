// libFuzzer target: the tariff's day-ahead price CSV (csv_prices.hpp: the shared CSV reader plus the tariff's
// duplicate handling and conservative gap filling), under both duplicate policies.
// Invariants besides ASan/UBSan: bad input throws only std::invalid_argument (CsvError is one) whose message
// names the file; a grid that reads has one entry per slot in every column, high >= low in every slot, a gap
// only where it says so, and under the reject policy no conflicting slot.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "csv_prices.hpp"
#include "hepek/testing/fuzz_check.hpp"

namespace ht = hepek::tariff;

namespace {

void check(const std::string& text, ht::ConflictPolicy policy) {
  ht::CsvPrices prices;
  try {
    prices = ht::read_csv_prices(text, "fuzz.csv", policy);
  } catch (const std::invalid_argument& error) {
    HEPEK_FUZZ_CHECK(std::string_view(error.what()).rfind("fuzz.csv", 0) == 0,
                     "a price file error names the file");
    return;
  }
  const ht::PriceGrid& grid = prices.grid;
  HEPEK_FUZZ_CHECK(grid.step_s > 0, "the grid has a positive step");
  HEPEK_FUZZ_CHECK(grid.low.size() == grid.size() && grid.filled.size() == grid.size() &&
                       grid.conflicting.size() == grid.size() && grid.offset_minutes.size() == grid.size(),
                   "one entry per slot in every column");
  int gaps = 0;
  for (std::size_t k = 0; k < grid.size(); ++k) {
    HEPEK_FUZZ_CHECK(grid.high[k] >= grid.low[k], "a slot's import spot is never below its export spot");
    gaps += grid.filled[k];
    if (policy == ht::ConflictPolicy::reject)
      HEPEK_FUZZ_CHECK(!grid.conflicting[k], "reject keeps no conflict");
  }
  HEPEK_FUZZ_CHECK(gaps == grid.gaps(), "gaps() counts the filled slots");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  check(text, ht::ConflictPolicy::conservative);
  check(text, ht::ConflictPolicy::reject);
  return 0;
}
