#include "relay_state_store.hpp"

#include <stdexcept>

#include <hepek/storage/json_file.hpp>

namespace hepek::relay {

std::optional<bool> RelayStateStore::load() const {
  const auto state = storage::read_json_file(path_, "relay state");
  if (!state) return std::nullopt;
  const auto value = state->find("state");
  if (value == state->end() || (*value != "on" && *value != "off"))
    throw std::runtime_error("relay state file " + path_ +
                             " is malformed (expected {\"state\":\"on\"|\"off\"}): " + state->dump());
  return *value == "on";
}

void RelayStateStore::save(bool on) const {
  storage::write_json_file(path_, {{"state", on ? "on" : "off"}}, "relay state");
}

}  // namespace hepek::relay
