#include "crc16.hpp"

#include <array>

namespace hepek::dsmr {
namespace {

constexpr std::array<uint16_t, 256> make_table() {
  std::array<uint16_t, 256> table{};
  for (unsigned byte = 0; byte < 256; ++byte) {
    uint16_t crc = static_cast<uint16_t>(byte);
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc & 1) ? static_cast<uint16_t>((crc >> 1) ^ 0xA001) : (crc >> 1);
    table[byte] = crc;
  }
  return table;
}
constexpr auto kTable = make_table();

inline uint16_t update(uint16_t crc, unsigned char byte) {
  return static_cast<uint16_t>((crc >> 8) ^ kTable[(crc ^ byte) & 0xFF]);
}

}  // namespace

uint16_t crc16_arc(std::string_view bytes, uint16_t crc) {
  for (const char c : bytes) crc = update(crc, static_cast<unsigned char>(c));
  return crc;
}

uint16_t crc16_arc_as_crlf(std::string_view bytes) {
  uint16_t crc = 0;
  char previous = '\0';
  for (const char c : bytes) {
    if (c == '\n' && previous != '\r') crc = update(crc, '\r');
    crc = update(crc, static_cast<unsigned char>(c));
    previous = c;
  }
  return crc;
}

}  // namespace hepek::dsmr
