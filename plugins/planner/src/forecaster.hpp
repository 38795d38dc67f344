// Load and PV forecasts learned online from observed history only (never from the future).
//
// Load: a profile per local time-of-day slot and day type (weekdays, Saturday, Sunday), exponentially weighted so it
// follows the season; scaled by the recent daily level relative to the profile; plus the latest deviation, fading
// over a few hours. PV: either a time-of-day profile learned from data (default: needs no location, works when the
// data's clock and sun do not match a known place), or clear-sky irradiance at a configured location scaled by a factor
// learned per time-of-day slot; both follow the recent day's level (cloudy spells). Not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

namespace hepek::planner {

enum class PvModel { profile, clear_sky };

struct ForecastSettings {
  int64_t slot_s = 1800;         // learning resolution (time-of-day slot)
  double profile_weight = 0.15;  // EWMA weight of a new day in a slot's profile (all days; PV)
  double day_type_weight = 0.3;  // EWMA weight of a new occurrence in a day type's load profile
  double day_type_share = 0.5;   // share of the day-type profile in the load forecast (rest: all days)
  double level_weight = 0.3;     // EWMA weight of a new day in the level factor
  double deviation_hours = 2.0;  // e-folding time of the latest deviation
  // Sum of expected PV slot powers (W) at which today's observed PV counts as much as the learned daily level.
  double intraday_pv_evidence_w = 2000;
  PvModel pv_model = PvModel::profile;
  double latitude_deg = 52.37;  // used by PvModel::clear_sky
  double longitude_deg = 4.90;
  // Local UTC offset (minutes) at a Unix time: defines time of day and day type.
  std::function<int(int64_t)> offset_minutes = [](int64_t) { return 0; };
};

// The offsets of an IANA zone with its DST rules (lib/timeseries ZoneClock), for ForecastSettings; "" or
// "UTC" = 0. Throws std::invalid_argument for an unknown zone. The function keeps its own clock: copies share
// it, so call it from one thread.
std::function<int(int64_t)> offsets_in_zone(const std::string& zone_name);

class Forecaster {
 public:
  explicit Forecaster(ForecastSettings settings);

  // The average load and PV power over [t, t + slot_s). Call in time order; earlier or repeated slots are ignored.
  void observe(int64_t t, double load_w, double pv_w);

  // Forecasts of the average power over [from + k·step_s, from + (k+1)·step_s), k < steps.
  std::vector<double> load_w(int64_t from, int64_t step_s, size_t steps) const;
  std::vector<double> pv_w(int64_t from, int64_t step_s, size_t steps) const;

  // How uncertain the forecasts are: multipliers of the point forecast at evenly spaced quantiles of the recent
  // relative errors (mean 1), each equally likely. PV from recent days' totals against the profile, load from recent
  // slots against the forecast. {1.0} until enough history exists.
  std::vector<double> pv_multipliers(size_t quantiles = 5) const;
  std::vector<double> load_multipliers(size_t quantiles = 3) const;

  // Where the home is, for PvModel::clear_sky (the hub's location may move to a GPS fix after start).
  void set_location(double latitude_deg, double longitude_deg) {
    settings_.latitude_deg = latitude_deg;
    settings_.longitude_deg = longitude_deg;
  }
  double latitude_deg() const { return settings_.latitude_deg; }
  double longitude_deg() const { return settings_.longitude_deg; }

  bool trained() const { return observed_slots_ >= static_cast<int64_t>(slots_per_day_); }
  int64_t last_observed() const { return last_t_; }

 private:
  size_t slot_of(int64_t t) const;
  int day_type_of(int64_t t) const;
  double load_profile(int64_t t) const;
  double pv_base(int64_t t) const;
  double clear_sky(int64_t t) const;
  double lead_fade(int64_t t) const;

  ForecastSettings settings_;
  size_t slots_per_day_;
  std::vector<double> load_profile_[3];
  std::vector<uint8_t> load_seen_[3];
  std::vector<double> load_all_profile_;
  std::vector<uint8_t> load_all_seen_;
  std::vector<double> pv_profile_;  // PvModel::profile: W; clear_sky: W per W/m²
  std::vector<uint8_t> pv_seen_;
  double load_level_ = 1.0, pv_level_ = 1.0;
  double load_deviation_ = 0;
  std::vector<double> recent_pv_ratios_;    // last days: actual / profile-expected PV energy
  std::vector<double> recent_load_ratios_;  // last slots: actual / forecast load
  // Running sums over the current local day, to update the level factors at day end.
  int64_t day_ = INT64_MIN;
  double day_load_actual_ = 0, day_load_expected_ = 0, day_pv_actual_ = 0, day_pv_expected_ = 0;
  int64_t last_t_ = INT64_MIN;
  int64_t observed_slots_ = 0;
};

}  // namespace hepek::planner
