#include "progress_store.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace hepek::flexload {

std::optional<RunProgress> ProgressStore::load() const {
  std::ifstream file(path_);
  if (!file) {
    if (!std::filesystem::exists(path_)) return std::nullopt;
    throw std::runtime_error("cannot read the run progress file " + path_);
  }
  std::stringstream text;
  text << file.rdbuf();
  const auto json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
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
        text.str().substr(0, 200));
  if (json.contains("requested") && !json["requested"].is_boolean())
    throw std::runtime_error("the run progress file " + path_ + ": \"requested\" is not a boolean");
  return RunProgress{{*earliest, *deadline}, *delivered, json.value("requested", false)};
}

void ProgressStore::save(const RunProgress& progress) const {
  const std::filesystem::path target(path_);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
  const std::string temporary = path_ + ".tmp";
  {
    std::ofstream file(temporary, std::ios::trunc);
    file << nlohmann::json{{"earliest_ms", progress.period.earliest_ms},
                           {"deadline_ms", progress.period.deadline_ms},
                           {"delivered_ms", progress.delivered_ms},
                           {"requested", progress.requested}}
                .dump()
         << "\n";
    file.flush();
    if (!file) throw std::runtime_error("cannot write the run progress file " + temporary);
  }
  std::error_code error;
  std::filesystem::rename(temporary, target, error);
  if (error)
    throw std::runtime_error("cannot replace the run progress file " + path_ + ": " + error.message());
}

void ProgressStore::clear() const {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

}  // namespace hepek::flexload
