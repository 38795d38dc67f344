#include "relay_state_store.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace hepek::relay {

std::optional<bool> RelayStateStore::load() const {
  std::ifstream file(path_);
  if (!file) {
    if (!std::filesystem::exists(path_)) return std::nullopt;
    throw std::runtime_error("cannot read relay state file " + path_);
  }
  std::stringstream text;
  text << file.rdbuf();
  const nlohmann::json state = nlohmann::json::parse(text.str(), nullptr, false);
  if (state.is_discarded() || !state.is_object() || !state.contains("state") ||
      (state["state"] != "on" && state["state"] != "off"))
    throw std::runtime_error("relay state file " + path_ +
                             " is malformed (expected {\"state\":\"on\"|\"off\"}): " + text.str());
  return state["state"] == "on";
}

void RelayStateStore::save(bool on) const {
  const std::filesystem::path target(path_);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
  const std::string temporary = path_ + ".tmp";
  {
    std::ofstream file(temporary, std::ios::trunc);
    file << nlohmann::json{{"state", on ? "on" : "off"}}.dump() << "\n";
    file.flush();
    if (!file) throw std::runtime_error("cannot write relay state file " + temporary);
  }
  std::error_code error;
  std::filesystem::rename(temporary, target, error);
  if (error) throw std::runtime_error("cannot replace relay state file " + path_ + ": " + error.message());
}

}  // namespace hepek::relay
