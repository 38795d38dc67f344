// Crafted variants of real telegrams for the parser's tests: the CRC recomputed after a change, as a meter would
// send the changed bytes. Header-only, test code.
#pragma once

#include <cstdio>
#include <string>

#include "crc16.hpp"

namespace hepek::dsmr::test_data {

// The telegram with its CRC recomputed over '/'..'!' (CRLF after it).
inline std::string with_fresh_crc(const std::string& telegram) {
  const std::size_t bang = telegram.rfind("\n!");
  const std::string covered = telegram.substr(0, bang + 2);
  char crc[8];
  std::snprintf(crc, sizeof crc, "%04X", crc16_arc(covered));
  return covered + crc + "\r\n";
}

}  // namespace hepek::dsmr::test_data
