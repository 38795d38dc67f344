#include "setting_store.hpp"

#include <hepek/storage/json_file.hpp>

namespace hepek::climate {

std::optional<Setting> SettingStore::load() const {
  const auto document = storage::read_json_file(path_, "climate setting");
  if (!document) return std::nullopt;
  return Setting::from_json(*document);
}

void SettingStore::save(const Setting& setting) const {
  storage::write_json_file(path_, setting.to_json(), "climate setting");
}

}  // namespace hepek::climate
