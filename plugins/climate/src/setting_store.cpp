#include "setting_store.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <hepek/json_limits.hpp>

namespace hepek::climate {

std::optional<Setting> SettingStore::load() const {
  std::ifstream file(path_);
  if (!file) {
    if (!std::filesystem::exists(path_)) return std::nullopt;
    throw std::runtime_error("cannot read the climate setting file " + path_);
  }
  std::stringstream text;
  text << file.rdbuf();
  const auto parsed = json_limits::parse_limited(text.str());
  if (!parsed || !parsed->is_object())
    throw std::runtime_error("the climate setting file " + path_ + " is not a JSON object" +
                             (parsed ? std::string() : ": " + parsed.error()));
  return Setting::from_json(*parsed);
}

void SettingStore::save(const Setting& setting) const {
  const std::filesystem::path target(path_);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
  const std::string temporary = path_ + ".tmp";
  {
    std::ofstream file(temporary, std::ios::trunc);
    file << setting.to_json().dump() << "\n";
    file.flush();
    if (!file) throw std::runtime_error("cannot write the climate setting file " + temporary);
  }
  std::error_code error;
  std::filesystem::rename(temporary, target, error);
  if (error)
    throw std::runtime_error("cannot replace the climate setting file " + path_ + ": " + error.message());
}

}  // namespace hepek::climate
