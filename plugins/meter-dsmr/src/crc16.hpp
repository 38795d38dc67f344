// CRC-16/ARC as DSMR 4+ uses it: polynomial 0x8005 reflected (0xA001), initial value 0, no final xor,
// computed over every byte from '/' up to and including '!'. CRC("/some !") == 0xA3D4. Pure functions, no
// shared state.
#pragma once

#include <cstdint>
#include <string_view>

namespace hepek::dsmr {

uint16_t crc16_arc(std::string_view bytes, uint16_t crc = 0);

// The CRC the meter computed when the text reached us with its CRLF line endings turned into LF: every '\n'
// not preceded by '\r' counts as "\r\n".
uint16_t crc16_arc_as_crlf(std::string_view bytes);

}  // namespace hepek::dsmr
