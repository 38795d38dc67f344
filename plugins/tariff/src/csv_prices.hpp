// The CSV price source: a canonical price file (`time,price_eur_per_mwh`, testdata/README.md) read with the
// shared reader (hepek::timeseries: header, ISO 8601 times with offsets, resolution, grid and file:line
// errors), plus what the tariff needs on top of it:
//  - duplicates: rows with the same instant and the same price are dropped (counted); rows with the same
//    instant and different prices are "conflicting". Policy `conservative` (default) keeps the slot with the
//    highest price for import and the lowest for export and records a note naming both lines; policy
//    `reject` refuses the file with an error naming both lines.
//  - gaps: flagged per slot and filled conservatively (price_grid.hpp).
// Throws hepek::timeseries::CsvError (a std::invalid_argument) naming the file and line on bad input. Pure,
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "price_grid.hpp"

namespace hepek::tariff {

enum class ConflictPolicy { conservative, reject };

struct DuplicateNote {
  std::int64_t start_s = 0;
  int first_line = 0;
  int line = 0;
  MicroEurPerMwh first_price = 0;
  MicroEurPerMwh price = 0;
};

struct CsvPrices {
  PriceGrid grid;
  int identical_duplicates = 0;
  std::vector<DuplicateNote> conflicts;
  std::string name;
};

CsvPrices read_csv_prices(const std::string& text, const std::string& name,
                          ConflictPolicy policy = ConflictPolicy::conservative);
CsvPrices read_csv_prices_file(const std::string& path, ConflictPolicy policy = ConflictPolicy::conservative);

// One line per conflict, e.g. "prices.csv:5 and :7 give 2023-01-01T00:00:00+01:00 90 and 95 EUR/MWh".
std::string describe(const DuplicateNote& note, const std::string& name, int offset_minutes);

}  // namespace hepek::tariff
