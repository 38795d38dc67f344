// libFuzzer target: the one CSV time-series reader (csv_table.hpp) and the canonical forms built on it: the
// price form (read_price_csv: time,price_eur_per_mwh) and the household form (read_household_csv:
// time,load_w,pv_w), on the same bytes, as a file given in a config reaches them.
// Invariants besides ASan/UBSan: the readers throw only CsvError (a std::invalid_argument) whose message names
// the file; a series that reads has a positive step, one value per slot in every column, finite values, and
// every slot's value at its own time.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "hepek/testing/fuzz_check.hpp"
#include "hepek/timeseries/household_series.hpp"
#include "hepek/timeseries/price_series.hpp"

namespace ht = hepek::timeseries;

namespace {

void check_series(const ht::RegularSeries& series) {
  HEPEK_FUZZ_CHECK(series.step_s >= 60, "a series has a step of at least a minute");
  for (const auto& column : series.columns) {
    HEPEK_FUZZ_CHECK(column.size() == series.size(), "one value per slot");
    for (std::size_t k = 0; k < column.size(); ++k) {
      HEPEK_FUZZ_CHECK(std::isfinite(column[k]), "values are finite");
      if (k < 64)
        HEPEK_FUZZ_CHECK(series.slot(series.start_s + static_cast<std::int64_t>(k) * series.step_s) ==
                             static_cast<std::int64_t>(k),
                         "every slot is found at its own time");
    }
  }
}

template <typename Read>
void read(const std::string& text, Read reader) {
  std::istringstream input(text);
  try {
    check_series(reader(input).series);
  } catch (const ht::CsvError& error) {
    HEPEK_FUZZ_CHECK(std::string_view(error.what()).rfind("fuzz.csv", 0) == 0, "a CSV error names the file");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  read(text, [](std::istream& in) { return ht::read_price_csv(in, "fuzz.csv"); });
  read(text, [](std::istream& in) { return ht::read_household_csv(in, "fuzz.csv"); });
  return 0;
}
