#include "home_model.hpp"

namespace hepek::sim {
namespace {
SyntheticLoadOptions seeded(SyntheticLoadOptions load, std::uint64_t seed) {
  load.seed = seed;
  return load;
}
}  // namespace

HomeModel::HomeModel(HomeModelOptions options)
    : options_(options),
      load_(seeded(options.load, options.seed)),
      pv_(ClearSkyPv(options.pv), std::make_unique<SyntheticCloudiness>(options.seed, options.mean_cloudiness,
                                                                        options.pv.latitude_deg)),
      battery_(options.battery) {}

HomeStep HomeModel::step(std::int64_t start_ms, std::int64_t duration_ms, bool relay_on) {
  HomeStep result;
  result.load = load_.energy_mwh(start_ms, duration_ms);
  result.pv = pv_.energy_mwh(start_ms, duration_ms);
  result.battery = battery_.step({start_ms, duration_ms, result.load, result.pv, relay_on});
  GridStepInput grid{result.load,
                     result.pv,
                     result.battery.charge,
                     result.battery.discharge,
                     relay_on,
                     options_.import_price_micro_eur_per_kwh,
                     options_.export_price_micro_eur_per_kwh};
  result.grid = meter_.step(grid);
  return result;
}

}  // namespace hepek::sim
