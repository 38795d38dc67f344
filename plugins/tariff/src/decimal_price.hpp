// Prices as integers: micro-EUR per MWh (1e-6 EUR/MWh), so composing fees, taxes and VAT never accumulates
// float error (money is integers). The bus carries EUR/MWh as JSON numbers (topic contract); conversion
// happens only at the edges.
//
// Contract: micro_from_eur_per_mwh rounds half away from zero and throws std::invalid_argument for non-finite
// or absurd (|x| > 1e9 EUR/MWh) input. parse_decimal_micro accepts "-12", "95.5", "0.000001" (at most 6
// decimals, no exponent) and returns nullopt otherwise. canonical_decimal gives the shortest exact text
// ("-12.5", "3"). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hepek::tariff {

using MicroEurPerMwh = std::int64_t;
inline constexpr MicroEurPerMwh kMicroPerEur = 1'000'000;

MicroEurPerMwh micro_from_eur_per_mwh(double eur_per_mwh);
double eur_per_mwh_from_micro(MicroEurPerMwh micro);
std::optional<MicroEurPerMwh> parse_decimal_micro(std::string_view text);
std::string canonical_decimal(MicroEurPerMwh micro);

// a * numerator / denominator rounded half away from zero (denominator > 0).
MicroEurPerMwh scale_rounded(MicroEurPerMwh a, std::int64_t numerator, std::int64_t denominator);

}  // namespace hepek::tariff
