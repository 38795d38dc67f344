#include "progress_store.hpp"

#include <filesystem>
#include <stdexcept>

#include <hepek/storage/json_file.hpp>
#include <nlohmann/json.hpp>

namespace hepek::flexload {

std::optional<RunProgress> ProgressStore::load() const {
  const auto document = storage::read_json_file(path_, "run progress");
  if (!document) return std::nullopt;
  const nlohmann::json& json = *document;
  const auto integer = [&](const char* key) -> std::optional<std::int64_t> {
    if (!json.is_object() || !json.contains(key) || !json[key].is_number_integer()) return std::nullopt;
    return json[key].get<std::int64_t>();
  };
  const auto earliest = integer("earliest_ms"), deadline = integer("deadline_ms"),
             delivered = integer("delivered_ms");
  if (!earliest || !deadline || !delivered || *delivered < 0 || *deadline <= *earliest)
    throw std::runtime_error(
        "the run progress file " + path_ +
        " is malformed (expected {\"earliest_ms\",\"deadline_ms\",\"delivered_ms\"} integers, "
        "deadline after earliest, delivered >= 0): " +
        json.dump().substr(0, 200));
  if (json.contains("requested") && !json["requested"].is_boolean())
    throw std::runtime_error("the run progress file " + path_ + ": \"requested\" is not a boolean");
  return RunProgress{{*earliest, *deadline}, *delivered, json.value("requested", false)};
}

void ProgressStore::save(const RunProgress& progress) const {
  storage::write_json_file(path_,
                           {{"earliest_ms", progress.period.earliest_ms},
                            {"deadline_ms", progress.period.deadline_ms},
                            {"delivered_ms", progress.delivered_ms},
                            {"requested", progress.requested}},
                           "run progress");
}

void ProgressStore::clear() const {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

}  // namespace hepek::flexload
