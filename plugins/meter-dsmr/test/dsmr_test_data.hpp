// The DSMR test data (testdata/dsmr: real P1 telegrams and their expected values) as the meter-dsmr tests
// read it; locating and reading files is the test kit's (tests/support). Header-only; throws when a file is
// missing.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace hepek::dsmr::test_data {

inline std::string dsmr_dir() {
  return hepek::testing::testdata_dir() + "/dsmr";
}

using hepek::testing::read_file;

inline std::string telegram_file(const std::string& name) {
  return read_file(dsmr_dir() + "/" + name);
}

// CRLF -> LF, as a Unix tool would save the telegram.
inline std::string lf_only(std::string text) {
  std::string out;
  for (const char c : text)
    if (c != '\r') out += c;
  return out;
}

// Splits one CSV line (RFC 4180 quoting).
inline std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        fields.back() += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        fields.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

inline std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::istringstream in(read_file(path));
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line))
    if (!line.empty() && line != "\r") rows.push_back(csv_fields(line));
  return rows;
}

}  // namespace hepek::dsmr::test_data
