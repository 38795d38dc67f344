// An exact decimal number as a DSMR meter writes it ("001581.123"): the text, an integer mantissa and a
// scale.
//
// Contract: parse() accepts an optional sign, digits and at most one '.', at most 18 significant digits (so
// the mantissa fits an int64 exactly); anything else is rejected with a reason. Conversions to a coarser unit
// are exact integer arithmetic (1581.123 kWh -> 1581123 Wh); to_double() is for display only. Value type, no
// shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hepek::dsmr {

class Decimal {
 public:
  // Returns the number, or nullopt with `reason` set when `text` is not a plain decimal.
  static std::optional<Decimal> parse(std::string_view text, std::string* reason = nullptr);

  const std::string& text() const { return text_; }  // exactly as written
  int64_t mantissa() const { return mantissa_; }     // value = mantissa / 10^scale
  int scale() const { return scale_; }               // digits after the '.'
  double to_double() const;

  // The value multiplied by 10^decimal_shift as an integer, rounded half away from zero when digits are lost
  // (e.g. kWh -> Wh is shift 3). nullopt on overflow.
  std::optional<int64_t> scaled(int decimal_shift) const;
  // True when scaled(decimal_shift) loses no digits.
  bool exact_at(int decimal_shift) const;

  // Same numeric value (0230.0 == 230 == 230.000).
  bool same_value(const Decimal& other) const;

 private:
  std::string text_;
  int64_t mantissa_ = 0;
  int scale_ = 0;
};

}  // namespace hepek::dsmr
