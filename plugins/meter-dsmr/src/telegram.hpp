// A parsed P1 telegram: header, the CRC as written, its COSEM objects ("OBIS lines") in telegram order, and the
// lines that could not be read (`problems`: the telegram was accepted without them).
//
// Contract: produced only by parse_telegram() (parser.hpp), so every Field with a unit carries a valid
// Decimal and every Timestamp is a real date. Multi-value lines keep all their fields; `value_index` names
// the field holding the line's reading (the last reading for profile buffers), and `entries` lists every
// reading of a profile buffer (power-failure log 1-0:99.97.0, e-MUCS peak history 0-0:98.1.0, DSMR 2.2/3 gas
// profile 0-n:24.3.0, ...). Plain value types; safe to copy and to move between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "decimal.hpp"
#include "timestamp.hpp"

namespace hepek::dsmr {

// One "(...)" of a line.
struct Field {
  std::string text;               // as written, without the "*unit" part
  std::string unit;               // "kWh", "m3", ...; empty when the value has none
  std::optional<Decimal> number;  // set exactly when `unit` is set
};

// One reading of a profile buffer: the field holding it and the time it was captured, when the meter says.
struct ProfileEntry {
  std::size_t value_index = 0;
  std::optional<Timestamp> timestamp;
};

struct CosemObject {
  std::string obis;  // "1-0:1.8.1" (a "*255" suffix is kept as written)
  int line = 0;      // 1-based line in the telegram where it starts
  std::vector<Field> fields;
  std::optional<std::size_t> value_index;  // nullopt: an empty profile buffer
  std::optional<Timestamp> timestamp;      // the reading's own capture time (gas, peaks), when present
  std::vector<ProfileEntry> entries;       // profile buffers only

  const Field* value() const { return value_index ? &fields[*value_index] : nullptr; }
  bool multi_value() const { return fields.size() > 1; }
};

// A line the parser could not read (or, for the header, had to clean): the telegram was accepted without it.
struct LineProblem {
  int line = 0;      // 1-based line in the telegram (1 = the '/' header line)
  std::string text;  // the line as received: bytes outside ASCII 0x20-0x7E as \xNN, then hepek::quote_prefix
  std::string message;  // what is wrong, e.g. "'(' at column 10 is never closed"
};

struct Telegram {
  std::string header;                  // the identification line, with its '/': "/KFM5KAIFA-METER"
  std::optional<uint16_t> crc;         // as written after '!'; nullopt for DSMR 2.2/3
  std::optional<Timestamp> timestamp;  // 0-0:1.0.0, when present
  std::vector<CosemObject> objects;
  std::vector<LineProblem> problems;  // lines left out (none for a clean telegram), in telegram order

  const CosemObject* find(std::string_view obis) const {
    for (const auto& object : objects)
      if (object.obis == obis) return &object;
    return nullptr;
  }
  // The version the meter declares: 1-3:0.2.8 (DSMR 4/5) or 0-0:96.1.4 (e-MUCS); empty for DSMR 2.2/3.
  std::string version() const {
    for (const char* obis : {"1-3:0.2.8", "0-0:96.1.4"})
      if (const auto* object = find(obis); object && object->value()) return object->value()->text;
    return {};
  }
};

}  // namespace hepek::dsmr
