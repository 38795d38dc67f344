#include "forecaster.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>
#include <hepek/timeseries/zone_clock.hpp>

#include "solar_position.hpp"

namespace hepek::planner {

using namespace hepek::timeseries;  // the shared time and CSV vocabulary
namespace {
constexpr double kMinClearSky = 20.0;  // W/m²: below this the PV/clear-sky ratio is noise (dawn, dusk)
constexpr size_t kPvRatioDays = 28;
constexpr size_t kLoadRatioSlots = 14 * 48;  // two weeks of half-hours (scaled to the slot length)

void remember(std::vector<double>& window, double value, size_t capacity) {
  if (window.size() >= std::max<size_t>(1, capacity)) window.erase(window.begin());
  window.push_back(value);
}

// Mid-quantiles (k + 0.5) / n of the values, normalised to mean 1.
std::vector<double> quantile_multipliers(std::vector<double> values, size_t n, size_t minimum_history) {
  if (values.size() < minimum_history || n == 0) return {1.0};
  std::sort(values.begin(), values.end());
  std::vector<double> out;
  double sum = 0;
  for (size_t k = 0; k < n; ++k) {
    const double position =
        (static_cast<double>(k) + 0.5) / static_cast<double>(n) * static_cast<double>(values.size() - 1);
    const size_t below = static_cast<size_t>(position);
    const size_t above = std::min(values.size() - 1, below + 1);
    out.push_back(values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]));
    sum += out.back();
  }
  if (sum <= 0) return {1.0};
  for (double& m : out) m *= static_cast<double>(n) / sum;
  return out;
}
}  // namespace

std::function<int(int64_t)> offsets_in_zone(const std::string& zone_name) {
  auto clock = std::make_shared<ZoneClock>(zone_name);
  return [clock](int64_t unix_s) { return clock->offset_minutes_at_s(unix_s); };
}

std::vector<double> Forecaster::pv_multipliers(size_t quantiles) const {
  return quantile_multipliers(recent_pv_ratios_, quantiles, 7);
}

std::vector<double> Forecaster::load_multipliers(size_t quantiles) const {
  return quantile_multipliers(recent_load_ratios_, quantiles, slots_per_day_);
}

Forecaster::Forecaster(ForecastSettings settings) : settings_(std::move(settings)) {
  settings_.slot_s = std::clamp<int64_t>(settings_.slot_s, 60, 86400);
  slots_per_day_ = static_cast<size_t>(86400 / settings_.slot_s);
  for (int d = 0; d < 3; ++d) {
    load_profile_[d].assign(slots_per_day_, 0.0);
    load_seen_[d].assign(slots_per_day_, 0);
  }
  load_all_profile_.assign(slots_per_day_, 0.0);
  load_all_seen_.assign(slots_per_day_, 0);
  pv_profile_.assign(slots_per_day_, 0.0);
  pv_seen_.assign(slots_per_day_, 0);
}

size_t Forecaster::slot_of(int64_t t) const {
  const int second = local_second_of_day(t, settings_.offset_minutes(t));
  return std::min(slots_per_day_ - 1, static_cast<size_t>(second / settings_.slot_s));
}

int Forecaster::day_type_of(int64_t t) const {
  const int weekday = local_weekday(t, settings_.offset_minutes(t));
  return weekday < 5 ? 0 : weekday - 4;  // 0 weekday, 1 Saturday, 2 Sunday
}

double Forecaster::load_profile(int64_t t) const {
  // Blend of the profile of all days and that of the day type: weekends differ, but a Saturday profile learned from
  // one sample a week alone is noisy.
  const size_t slot = slot_of(t);
  const int type = day_type_of(t);
  const double all = load_all_profile_[slot];
  if (!load_all_seen_[slot]) return 0;
  if (!load_seen_[type][slot]) return all;
  return settings_.day_type_share * load_profile_[type][slot] + (1 - settings_.day_type_share) * all;
}

double Forecaster::clear_sky(int64_t t) const {
  const int64_t slot_start = t - (local_second_of_day(t, settings_.offset_minutes(t)) % settings_.slot_s);
  return mean_clear_sky_ghi(slot_start, settings_.slot_s, settings_.latitude_deg, settings_.longitude_deg);
}

double Forecaster::pv_base(int64_t t) const {
  const size_t slot = slot_of(t);
  if (!pv_seen_[slot]) return 0;
  if (settings_.pv_model == PvModel::profile) return pv_profile_[slot];
  return pv_profile_[slot] * clear_sky(t);
}

void Forecaster::observe(int64_t t, double load_w, double pv_w) {
  if (last_t_ != INT64_MIN && t < last_t_ + settings_.slot_s) return;
  if (!std::isfinite(load_w) || !std::isfinite(pv_w)) return;
  load_w = std::max(0.0, load_w);
  pv_w = std::max(0.0, pv_w);
  const int64_t day = local_day(t, settings_.offset_minutes(t));
  if (day != day_) {
    // A day ended: move the level factors towards how that day compared with the profiles.
    if (day_ != INT64_MIN) {
      if (day_load_expected_ > 0) {
        const double ratio = std::clamp(day_load_actual_ / day_load_expected_, 0.5, 2.0);
        load_level_ += settings_.level_weight * (ratio - load_level_);
      }
      if (day_pv_expected_ > 0) {
        remember(recent_pv_ratios_, std::clamp(day_pv_actual_ / day_pv_expected_, 0.0, 3.0), kPvRatioDays);
        const double ratio = std::clamp(day_pv_actual_ / day_pv_expected_, 0.2, 2.0);
        pv_level_ += settings_.level_weight * (ratio - pv_level_);
      }
    }
    day_ = day;
    day_load_actual_ = day_load_expected_ = day_pv_actual_ = day_pv_expected_ = 0;
  }
  const size_t slot = slot_of(t);
  const int type = day_type_of(t);
  const double expected_load = load_profile(t);
  const double expected_pv = pv_base(t);
  if (expected_load > 0) {
    day_load_actual_ += load_w;
    day_load_expected_ += expected_load;
  }
  if (expected_pv > 0) {
    day_pv_actual_ += pv_w;
    day_pv_expected_ += expected_pv;
  }
  if (last_t_ != INT64_MIN && expected_load > 0) {
    const double forecast = std::max(1.0, load_level_ * expected_load + load_deviation_ * lead_fade(t));
    remember(recent_load_ratios_, std::clamp(load_w / forecast, 0.0, 5.0),
             kLoadRatioSlots * slots_per_day_ / 48);
  }
  load_deviation_ = load_w - load_level_ * expected_load;

  auto learn = [&](double& value, uint8_t& seen, double sample, double weight) {
    value = seen ? value + weight * (sample - value) : sample;
    seen = 1;
  };
  learn(load_profile_[type][slot], load_seen_[type][slot], load_w, settings_.day_type_weight);
  learn(load_all_profile_[slot], load_all_seen_[slot], load_w, settings_.profile_weight);
  if (settings_.pv_model == PvModel::profile) {
    learn(pv_profile_[slot], pv_seen_[slot], pv_w, settings_.profile_weight);
  } else {
    const double sky = clear_sky(t);
    if (sky >= kMinClearSky)
      learn(pv_profile_[slot], pv_seen_[slot], pv_w / sky, settings_.profile_weight);
    else if (!pv_seen_[slot])
      learn(pv_profile_[slot], pv_seen_[slot], 0.0, settings_.profile_weight);
  }
  last_t_ = t;
  ++observed_slots_;
}

double Forecaster::lead_fade(int64_t t) const {
  if (last_t_ == INT64_MIN) return 0;
  const double lead_hours = static_cast<double>(t - (last_t_ + settings_.slot_s)) / 3600.0;
  return std::exp(-std::max(0.0, lead_hours) / settings_.deviation_hours);
}

std::vector<double> Forecaster::load_w(int64_t from, int64_t step_s, size_t steps) const {
  std::vector<double> out(steps);
  for (size_t k = 0; k < steps; ++k) {
    const int64_t t = from + static_cast<int64_t>(k) * step_s;
    out[k] = std::max(0.0, load_level_ * load_profile(t) + load_deviation_ * lead_fade(t));
  }
  return out;
}

std::vector<double> Forecaster::pv_w(int64_t from, int64_t step_s, size_t steps) const {
  // Clouds persist within a day: once today's PV so far carries weight, it sets the level for the rest of today.
  double today_level = pv_level_;
  if (day_pv_expected_ > 0) {
    const double today_ratio = std::clamp(day_pv_actual_ / day_pv_expected_, 0.1, 2.0);
    const double weight = day_pv_expected_ / (day_pv_expected_ + settings_.intraday_pv_evidence_w);
    today_level = weight * today_ratio + (1 - weight) * pv_level_;
  }
  std::vector<double> out(steps);
  for (size_t k = 0; k < steps; ++k) {
    const int64_t t = from + static_cast<int64_t>(k) * step_s;
    const bool today = last_t_ != INT64_MIN && local_day(t, settings_.offset_minutes(t)) == day_;
    out[k] = std::max(0.0, (today ? today_level : pv_level_) * pv_base(t));
  }
  return out;
}

}  // namespace hepek::planner
