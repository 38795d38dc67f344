// The one reader of time-series CSV files: a header row naming the columns, `time` first, then one row per
// instant (the canonical forms of testdata/README.md: `time,price_eur_per_mwh`, `time,load_w,pv_w`).
//
// Contract: a UTF-8 byte order mark, CR line ends, blank lines and spaces around fields are tolerated. Every
// row has as many fields as the header; its time is ISO 8601 with Z or a UTC offset (iso8601.hpp); the value
// of each wanted column is a finite number (and passes the layout's check_value). Rows are returned in file
// order with their line numbers: ordering, duplicates, gaps and resolution are the caller's
// (regular_series.hpp does it for the canonical forms). Anything else throws CsvError, whose message starts
// with "file:line: " and, for a bad field, ends with "(line N, column C "name")". Pure, thread-safe.
#pragma once

#include <functional>
#include <istream>
#include <stdexcept>
#include <string>
#include <vector>

#include "hepek/timeseries/iso8601.hpp"

namespace hepek::timeseries {

class CsvError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct CsvLayout {
  std::vector<std::string> value_columns;  // the columns to read, in this order
  // exact: the header is `time` and value_columns, nothing else; time_first: `time` first, then the value
  // columns among any others (those are not read).
  enum class Header { exact, time_first } header = Header::exact;
  // Optional: why a value of value_columns[column] is unacceptable (e.g. "must not be negative"), or nullptr.
  std::function<const char*(std::size_t column, double value)> check_value;
};

struct CsvRow {
  Instant time;
  std::vector<double> values;      // per value column
  std::vector<std::string> cells;  // the same fields as written (trimmed), e.g. for exact decimal parsing
  int line = 0;
};

struct CsvTable {
  std::string name;  // the file name, as used in error messages
  std::vector<CsvRow> rows;
};

CsvTable read_csv_table(std::istream& input, const std::string& name, const CsvLayout& layout);
CsvTable read_csv_table_file(const std::string& path, const CsvLayout& layout);

}  // namespace hepek::timeseries
