// How an all-in price is made from the spot price.
//
//   import = (spot + margin + grid_fee + energy_tax) × (1 + VAT%)
//            VAT over everything, as on Dutch bills; a negative sum stays negative (VAT is refunded)
//   export = spot − export_fee   (export = "spot")
//          = export_fixed        (export = "fixed")
//          = none                (export = "none": not paid; published as 0 with "export":"none")
// All amounts EUR/MWh, computed in integer micro-EUR/MWh; VAT kept in basis points. Pure, thread-safe.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "decimal_price.hpp"

namespace hepek::tariff {

enum class ExportMode { spot, fixed, none };

struct TariffComposition {
  MicroEurPerMwh margin = 0;
  MicroEurPerMwh grid_fee = 0;
  MicroEurPerMwh energy_tax = 0;
  std::int64_t vat_basis_points = 0;  // 21 % = 2100
  ExportMode export_mode = ExportMode::spot;
  MicroEurPerMwh export_fee = 0;    // subtracted from spot in export mode "spot"
  MicroEurPerMwh export_fixed = 0;  // export mode "fixed"

  MicroEurPerMwh import_price(MicroEurPerMwh spot) const;
  std::optional<MicroEurPerMwh> export_price(MicroEurPerMwh spot) const;  // nullopt for "none"

  nlohmann::json to_json() const;  // for the published message: what the prices are made of
};

std::string to_string(ExportMode mode);

// From the plugin config (keys margin_eur_per_mwh, grid_fee_eur_per_mwh, energy_tax_eur_per_mwh, vat_percent,
// export, export_fee_eur_per_mwh, export_fixed_eur_per_mwh). Throws std::invalid_argument naming the key.
TariffComposition composition_from_config(const nlohmann::json& config);

}  // namespace hepek::tariff
