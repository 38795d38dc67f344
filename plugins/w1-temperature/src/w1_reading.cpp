#include "w1_reading.hpp"

#include <charconv>

#include <fmt/format.h>
#include <hepek/quote.hpp>

namespace hepek::w1 {
namespace {

constexpr long kPowerOnResetMilli = 85'000;
constexpr long kMinMilli = -55'000;
constexpr long kMaxMilli = 125'000;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.remove_suffix(1);
  return text;
}

}  // namespace

bool is_thermometer(std::string_view sensor_id) {
  const auto dash = sensor_id.find('-');
  if (dash == std::string_view::npos || dash + 1 >= sensor_id.size()) return false;
  const std::string_view family = sensor_id.substr(0, dash);
  for (const std::string_view known : {"10", "22", "28", "3b", "42"})
    if (family == known) return true;
  return false;
}

Result<double> parse_w1_slave(std::string_view text) {
  using R = Result<double>;
  const auto newline = text.find('\n');
  const std::string_view first = trim(text.substr(0, newline));
  const std::string_view second =
      newline == std::string_view::npos ? std::string_view{} : trim(text.substr(newline + 1));
  const auto crc = first.find("crc=");
  if (crc == std::string_view::npos)
    return R::failure(
        fmt::format("no CRC verdict (\"crc=.. YES\") in the first line \"{}\"", quote_prefix(first, 64)));
  if (first.size() < 3 || first.substr(first.size() - 3) != "YES")
    return R::failure(
        fmt::format("CRC check failed (\"{}\"): a disturbed read", quote_prefix(first.substr(crc), 64)));
  const auto t = second.rfind("t=");
  if (t == std::string_view::npos)
    return R::failure(
        fmt::format("no temperature (\"t=\") in the second line \"{}\"", quote_prefix(second, 64)));
  const std::string_view digits = second.substr(t + 2);
  long milli = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), milli);
  if (error != std::errc{} || end != digits.data() + digits.size() || digits.empty())
    return R::failure(
        fmt::format("the temperature \"t={}\" is not an integer of millidegrees", quote_prefix(digits, 64)));
  if (milli == kPowerOnResetMilli)
    return R::failure("85 °C, the power-on reset value: the sensor lost power during the conversion");
  if (milli < kMinMilli || milli > kMaxMilli)
    return R::failure(fmt::format("{} m°C is outside the sensor's range (-55..125 °C)", milli));
  return R::success(static_cast<double>(milli) / 1000.0);
}

}  // namespace hepek::w1
