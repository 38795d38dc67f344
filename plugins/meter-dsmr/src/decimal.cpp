#include "decimal.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace hepek::dsmr {
namespace {

constexpr int kMaxDigits = 18;  // 10^18 < 2^63: every 18-digit mantissa is exact

std::optional<int64_t> power_of_ten(int exponent) {
  if (exponent < 0 || exponent > kMaxDigits) return std::nullopt;
  int64_t result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view text, std::string* reason) {
  auto fail = [&](const char* why) -> std::optional<Decimal> {
    if (reason) *reason = why;
    return std::nullopt;
  };
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  int64_t mantissa = 0;
  int scale = 0;
  int significant = 0;
  bool seen_point = false;
  bool seen_digit = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (seen_point) return fail("more than one '.'");
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return fail("not a decimal number");
    seen_digit = true;
    if (significant > 0 || c != '0') ++significant;
    if (significant > kMaxDigits) return fail("more than 18 significant digits");
    mantissa = mantissa * 10 + (c - '0');
    if (seen_point) ++scale;
  }
  if (!seen_digit) return fail(text.empty() ? "empty number" : "no digits");
  if (scale > kMaxDigits) return fail("more than 18 decimals");
  Decimal d;
  d.text_ = std::string(text);
  d.mantissa_ = negative ? -mantissa : mantissa;
  d.scale_ = scale;
  return d;
}

double Decimal::to_double() const {
  // strtod on the text gives the correctly rounded double; the text is validated, so this cannot fail.
  return std::strtod(text_.c_str(), nullptr);
}

bool Decimal::exact_at(int decimal_shift) const {
  const int drop = scale_ - decimal_shift;
  if (drop <= 0) return true;
  const auto divisor = power_of_ten(drop);
  return divisor && mantissa_ % *divisor == 0;
}

std::optional<int64_t> Decimal::scaled(int decimal_shift) const {
  const int exponent = decimal_shift - scale_;
  if (exponent >= 0) {
    const auto factor = power_of_ten(exponent);
    if (!factor) return mantissa_ == 0 ? std::optional<int64_t>(0) : std::nullopt;
    if (mantissa_ != 0 && std::llabs(mantissa_) > std::numeric_limits<int64_t>::max() / *factor)
      return std::nullopt;
    return mantissa_ * *factor;
  }
  const auto divisor = power_of_ten(-exponent);
  if (!divisor) return 0;
  const int64_t quotient = mantissa_ / *divisor;
  const int64_t remainder = mantissa_ % *divisor;
  if (std::llabs(remainder) * 2 >= *divisor) return quotient + (mantissa_ < 0 ? -1 : 1);
  return quotient;
}

bool Decimal::same_value(const Decimal& other) const {
  const int common = std::max(scale_, other.scale_);
  const auto a = scaled(common);
  const auto b = other.scaled(common);
  return a && b && *a == *b;
}

}  // namespace hepek::dsmr
