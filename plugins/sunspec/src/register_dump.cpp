#include "register_dump.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace hepek::sunspec {
namespace {

bool parse_unsigned(std::string_view text, int base, uint32_t& out) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  if (text.empty()) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out, base);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<RegisterImage> parse_register_dump(const std::string& text, const std::string& name) {
  using R = Result<RegisterImage>;
  RegisterImage image;
  std::istringstream in(text);
  std::string line;
  size_t number = 0;
  bool any = false;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || (number == 1 && line.rfind("address", 0) == 0)) continue;
    const size_t first = line.find(',');
    const size_t second = first == std::string::npos ? std::string::npos : line.find(',', first + 1);
    if (second == std::string::npos)
      return R::failure(fmt::format("{}:{}: expected address,value_hex,value_u16, got \"{}\"", name, number,
                                    line.substr(0, 80)));
    uint32_t address = 0, hex = 0, decimal = 0;
    if (!parse_unsigned(std::string_view(line).substr(0, first), 10, address) || address > 0xFFFF)
      return R::failure(fmt::format("{}:{}: address \"{}\" is not a register address (0-65535)", name, number,
                                    line.substr(0, first)));
    const std::string_view hex_text = std::string_view(line).substr(first + 1, second - first - 1);
    const std::string_view decimal_text = std::string_view(line).substr(second + 1);
    if (hex_text.empty() && decimal_text.empty()) {
      image.mark_unreadable(address, 1);
      any = true;
      continue;
    }
    if (!parse_unsigned(hex_text, 16, hex) || hex > 0xFFFF)
      return R::failure(
          fmt::format("{}:{}: value_hex \"{}\" is not a 16-bit hex word", name, number, hex_text));
    if (!parse_unsigned(decimal_text, 10, decimal) || decimal != hex)
      return R::failure(fmt::format("{}:{}: value_u16 \"{}\" does not match value_hex {}", name, number,
                                    decimal_text, hex_text));
    const uint16_t word = static_cast<uint16_t>(hex);
    image.put(address, {&word, 1});
    any = true;
  }
  if (!any) return R::failure(name + ": no registers");
  return R::success(std::move(image));
}

Result<RegisterImage> load_register_dump(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Result<RegisterImage>::failure("cannot open " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << file.rdbuf();
  return parse_register_dump(text.str(), path);
}

ReadResult DumpSource::read(uint32_t address, uint16_t count) {
  ++requests_;
  if (count == 0 || count > kMaxReadRegisters)
    return ReadResult::exception(
        fmt::format("{}: read of {} registers at {}: illegal data value", describe(), count, address));
  for (uint32_t i = 0; i < count; ++i)
    if (!image_.readable(address + i))
      return ReadResult::exception(
          fmt::format("{}: registers {}-{}: Modbus exception 2 (illegal data address)", describe(), address,
                      address + count - 1));
  std::vector<uint16_t> words(count);
  for (uint32_t i = 0; i < count; ++i) words[i] = image_.at(address + i);
  return ReadResult::success(std::move(words));
}

ReadResult DumpSource::write(uint32_t address, std::span<const uint16_t> words) {
  ++requests_;
  if (words.empty() || !image_.readable(address, static_cast<uint32_t>(words.size())))
    return ReadResult::exception(
        fmt::format("{}: writing registers {}-{}: Modbus exception 2 (illegal data "
                    "address)",
                    describe(), address, address + words.size() - 1));
  image_.put(address, words);
  return ReadResult::success({});
}

}  // namespace hepek::sunspec
