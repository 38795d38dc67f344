// The comfort schedule: the temperature band the home should stay in, by local time of day. Each entry is
// "HH:MM-HH:MM MIN-MAX" (e.g. "07:00-23:00 20-24", "23:00-07:00 18-26.5"): from the first time (inclusive)
// to the second (exclusive), wrapping over midnight when the second is earlier; "24:00" is the end of the day.
// Entries may not overlap; minutes no entry covers have no band.
//
// Contract: parse_comfort_schedule throws std::invalid_argument naming the entry (its index and text) and what is
// wrong (format, a time, MIN >= MAX, an overlap with which other entry). band_at is pure. Immutable after
// parsing: thread-safe to read.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace hepek::climate {

struct ComfortBand {
  double min = 0;
  double max = 0;
  bool operator==(const ComfortBand&) const = default;
};

class ComfortSchedule {
 public:
  static constexpr int kMinutesPerDay = 24 * 60;
  ComfortSchedule() { owner_.fill(-1); }
  // The band in effect at a local minute of the day (0..1439), or none.
  std::optional<ComfortBand> band_at(int minute_of_day) const;
  bool empty() const { return bands_.empty(); }

 private:
  friend ComfortSchedule parse_comfort_schedule(const std::vector<std::string>& entries);
  std::vector<ComfortBand> bands_;
  std::array<int, kMinutesPerDay> owner_{};  // index into bands_, -1 for none
};

ComfortSchedule parse_comfort_schedule(const std::vector<std::string>& entries);

}  // namespace hepek::climate
