#include "decimal_price.hpp"

#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>

namespace hepek::tariff {

MicroEurPerMwh micro_from_eur_per_mwh(double eur_per_mwh) {
  if (!std::isfinite(eur_per_mwh) || std::fabs(eur_per_mwh) > 1e9)
    throw std::invalid_argument(fmt::format("price {} EUR/MWh is not a usable number", eur_per_mwh));
  return std::llround(eur_per_mwh * static_cast<double>(kMicroPerEur));
}

double eur_per_mwh_from_micro(MicroEurPerMwh micro) {
  return static_cast<double>(micro) / static_cast<double>(kMicroPerEur);
}

std::optional<MicroEurPerMwh> parse_decimal_micro(std::string_view text) {
  bool negative = false;
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  int64_t whole = 0, fraction = 0;
  int integer_digits = 0, fraction_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (++integer_digits > 10) return std::nullopt;
    whole = whole * 10 + (text[i] - '0');
  }
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (++fraction_digits > 6) return std::nullopt;
      fraction = fraction * 10 + (text[i] - '0');
    }
    if (fraction_digits == 0) return std::nullopt;
  }
  if (i != text.size() || integer_digits == 0) return std::nullopt;
  for (int d = fraction_digits; d < 6; ++d) fraction *= 10;
  const MicroEurPerMwh value = whole * kMicroPerEur + fraction;
  return negative ? -value : value;
}

std::string canonical_decimal(MicroEurPerMwh micro) {
  const bool negative = micro < 0;
  const uint64_t magnitude =
      negative ? static_cast<uint64_t>(-(micro + 1)) + 1 : static_cast<uint64_t>(micro);
  std::string text = fmt::format("{}{}", negative ? "-" : "", magnitude / kMicroPerEur);
  uint64_t fraction = magnitude % kMicroPerEur;
  if (fraction != 0) {
    std::string digits = fmt::format("{:06}", fraction);
    while (digits.back() == '0') digits.pop_back();
    text += "." + digits;
  }
  return text;
}

MicroEurPerMwh scale_rounded(MicroEurPerMwh a, std::int64_t numerator, std::int64_t denominator) {
  const __int128 product = static_cast<__int128>(a) * numerator;
  const __int128 half = denominator / 2;
  const __int128 rounded = product >= 0 ? (product + half) / denominator : (product - half) / denominator;
  return static_cast<MicroEurPerMwh>(rounded);
}

}  // namespace hepek::tariff
