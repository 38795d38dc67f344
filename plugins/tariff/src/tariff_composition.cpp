#include "tariff_composition.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace hepek::tariff {

MicroEurPerMwh TariffComposition::import_price(MicroEurPerMwh spot) const {
  return scale_rounded(spot + margin + grid_fee + energy_tax, 10'000 + vat_basis_points, 10'000);
}

std::optional<MicroEurPerMwh> TariffComposition::export_price(MicroEurPerMwh spot) const {
  switch (export_mode) {
    case ExportMode::spot:
      return spot - export_fee;
    case ExportMode::fixed:
      return export_fixed;
    case ExportMode::none:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string to_string(ExportMode mode) {
  switch (mode) {
    case ExportMode::spot:
      return "spot";
    case ExportMode::fixed:
      return "fixed";
    case ExportMode::none:
      return "none";
  }
  return "?";
}

nlohmann::json TariffComposition::to_json() const {
  nlohmann::json j{{"margin_eur_per_mwh", eur_per_mwh_from_micro(margin)},
                   {"grid_fee_eur_per_mwh", eur_per_mwh_from_micro(grid_fee)},
                   {"energy_tax_eur_per_mwh", eur_per_mwh_from_micro(energy_tax)},
                   {"vat_percent", static_cast<double>(vat_basis_points) / 100.0},
                   {"export", to_string(export_mode)}};
  if (export_mode == ExportMode::spot) j["export_fee_eur_per_mwh"] = eur_per_mwh_from_micro(export_fee);
  if (export_mode == ExportMode::fixed) j["export_fixed_eur_per_mwh"] = eur_per_mwh_from_micro(export_fixed);
  return j;
}

namespace {
MicroEurPerMwh price_key(const nlohmann::json& config, const char* key) {
  if (!config.contains(key)) return 0;
  const auto& value = config.at(key);
  if (!value.is_number()) throw std::invalid_argument(fmt::format("tariff config: {} must be a number", key));
  try {
    return micro_from_eur_per_mwh(value.get<double>());
  } catch (const std::exception& error) {
    throw std::invalid_argument(fmt::format("tariff config: {}: {}", key, error.what()));
  }
}
}  // namespace

TariffComposition composition_from_config(const nlohmann::json& config) {
  TariffComposition c;
  c.margin = price_key(config, "margin_eur_per_mwh");
  c.grid_fee = price_key(config, "grid_fee_eur_per_mwh");
  c.energy_tax = price_key(config, "energy_tax_eur_per_mwh");
  c.export_fee = price_key(config, "export_fee_eur_per_mwh");
  c.export_fixed = price_key(config, "export_fixed_eur_per_mwh");
  const double vat = config.value("vat_percent", 0.0);
  if (!std::isfinite(vat) || vat < 0 || vat > 100)
    throw std::invalid_argument(fmt::format("tariff config: vat_percent {} must be between 0 and 100", vat));
  c.vat_basis_points = std::llround(vat * 100.0);
  const std::string mode = config.value("export", std::string("spot"));
  if (mode == "spot")
    c.export_mode = ExportMode::spot;
  else if (mode == "fixed")
    c.export_mode = ExportMode::fixed;
  else if (mode == "none")
    c.export_mode = ExportMode::none;
  else
    throw std::invalid_argument("tariff config: export must be \"spot\", \"fixed\" or \"none\", got \"" +
                                mode + "\"");
  return c;
}

}  // namespace hepek::tariff
