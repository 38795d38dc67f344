#include "series_query.hpp"

#include <array>
#include <utility>

namespace hepek::recorder {
namespace {

constexpr std::array<std::pair<Resolution, std::string_view>, 4> kResolutions{
    {{Resolution::raw, "raw"},
     {Resolution::quarter_hour, "15m"},
     {Resolution::hour, "1h"},
     {Resolution::day, "1d"}}};
constexpr std::array<std::pair<Statistic, std::string_view>, 6> kStatistics{{{Statistic::automatic, "auto"},
                                                                             {Statistic::mean, "mean"},
                                                                             {Statistic::min, "min"},
                                                                             {Statistic::max, "max"},
                                                                             {Statistic::last, "last"},
                                                                             {Statistic::count, "count"}}};

}  // namespace

std::string_view resolution_name(Resolution resolution) {
  for (const auto& [value, name] : kResolutions)
    if (value == resolution) return name;
  return "?";
}
std::optional<Resolution> parse_resolution(std::string_view text) {
  for (const auto& [value, name] : kResolutions)
    if (name == text) return value;
  return std::nullopt;
}
std::string_view statistic_name(Statistic statistic) {
  for (const auto& [value, name] : kStatistics)
    if (value == statistic) return name;
  return "?";
}
std::optional<Statistic> parse_statistic(std::string_view text) {
  for (const auto& [value, name] : kStatistics)
    if (name == text) return value;
  return std::nullopt;
}

}  // namespace hepek::recorder
