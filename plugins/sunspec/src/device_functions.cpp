#include "device_functions.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace hepek::sunspec {
namespace {

using Json = nlohmann::json;
using OJson = nlohmann::ordered_json;

constexpr uint16_t kInverters[] = {101, 102, 103, 111, 112, 113};
constexpr uint16_t kMeters[] = {201, 202, 203, 204, 211, 212, 213, 214};
constexpr uint16_t kStorage[] = {124, 802, 713};

template <size_t N>
bool any_of(const DeviceMap& map, const uint16_t (&ids)[N]) {
  for (const uint16_t id : ids)
    if (map.find(id)) return true;
  return false;
}

Json number_or_null(std::optional<double> value) {
  return value ? Json(*value) : Json(nullptr);
}

// A symbol of a decoded group ("symbols" holds an enum's name), lower-case, or null.
Json symbol_of(const OJson& group, const char* point) {
  if (!group.is_object() || !group.contains("symbols")) return nullptr;
  const auto& symbols = group["symbols"];
  const auto it = symbols.find(point);
  if (it == symbols.end() || !it->is_string()) return nullptr;
  std::string text = it->get<std::string>();
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

const OJson* modules(const Snapshot& snapshot) {
  const DecodedModel* mppt = snapshot.find(160);
  if (!mppt || !mppt->group.contains("groups") || !mppt->group["groups"].contains("module")) return nullptr;
  return &mppt->group["groups"]["module"];
}

std::string module_name(const OJson& module) {
  const auto& points = module["points"];
  return points.contains("IDStr") && points["IDStr"].is_string() ? points["IDStr"].get<std::string>() : "";
}

bool storage_module(const std::string& name) {
  return name == "StCha" || name == "StDisCha";
}

// The Gen24-style storage module's value (DCW or DCWH) by IDStr, or nullopt.
std::optional<double> storage_module_value(const Snapshot& snapshot, const char* name, const char* point) {
  const OJson* list = modules(snapshot);
  if (!list) return std::nullopt;
  for (const auto& module : *list)
    if (module_name(module) == name) return number_of(module, point);
  return std::nullopt;
}

// The 714 port of type ESS (storage), if any.
const OJson* storage_port(const Snapshot& snapshot) {
  const DecodedModel* dc = snapshot.find(714);
  if (!dc || !dc->group.contains("groups") || !dc->group["groups"].contains("Prt")) return nullptr;
  for (const auto& port : dc->group["groups"]["Prt"])
    if (symbol_of(port, "PrtTyp") == "ess") return &port;
  return nullptr;
}

Json pv_state(const Snapshot& snapshot) {
  Json state;
  const DecodedModel* inverter = snapshot.first_of({101, 102, 103, 111, 112, 113});
  const DecodedModel* der = snapshot.find(701);
  if (inverter) {
    state["power"] = number_or_null(inverter->number("W"));
    state["energy"] = number_or_null(inverter->number("WH"));
    state["dc_power"] = number_or_null(inverter->number("DCW"));
    state["state"] = symbol_of(inverter->group, "St");
    auto temperature = inverter->number("TmpCab");
    if (!temperature) temperature = inverter->number("TmpSnk");
    state["temperature"] = number_or_null(temperature);
  } else if (der) {
    state["power"] = number_or_null(der->number("W"));
    state["energy"] = number_or_null(der->number("TotWhInj"));
    state["state"] = symbol_of(der->group, "InvSt");
    auto temperature = der->number("TmpCab");
    if (!temperature) temperature = der->number("TmpSnk");
    state["temperature"] = number_or_null(temperature);
    if (const DecodedModel* dc = snapshot.find(714)) state["dc_power"] = number_or_null(dc->number("DCW"));
  } else {
    state["power"] = nullptr;
    state["energy"] = nullptr;
  }
  if (const OJson* list = modules(snapshot)) {
    int n = 0;
    for (const auto& module : *list) {
      if (storage_module(module_name(module))) continue;
      state[fmt::format("dc_power_{}", ++n)] = number_or_null(number_of(module, "DCW"));
    }
  }
  if (const DecodedModel* controls = snapshot.find(123)) {
    const bool enabled = controls->number("WMaxLim_Ena").value_or(0) == 1;
    state["limit_pct"] = enabled ? number_or_null(controls->number("WMaxLimPct")) : Json(nullptr);
  } else if (const DecodedModel* ctl = snapshot.find(704)) {
    const bool enabled = ctl->number("WMaxLimPctEna").value_or(0) == 1;
    state["limit_pct"] = enabled ? number_or_null(ctl->number("WMaxLimPct")) : Json(nullptr);
  }
  return state;
}

Json battery_state(const Snapshot& snapshot) {
  Json state;
  const DecodedModel* bank = snapshot.find(802);
  const DecodedModel* capacity = snapshot.find(713);
  const DecodedModel* basic = snapshot.find(124);
  std::optional<double> soc;
  if (bank) soc = bank->number("SoC");
  if (!soc && capacity) soc = capacity->number("SoC");
  if (!soc && basic) soc = basic->number("ChaState");
  state["soc"] = number_or_null(soc);

  std::optional<double> power;
  if (bank) power = bank->number("W");
  const auto charging = storage_module_value(snapshot, "StCha", "DCW");
  const auto discharging = storage_module_value(snapshot, "StDisCha", "DCW");
  if (!power && (charging || discharging)) power = discharging.value_or(0) - charging.value_or(0);
  const OJson* port = storage_port(snapshot);
  if (!power && port) power = number_of(*port, "DCW");
  state["power"] = number_or_null(power);

  auto charged = storage_module_value(snapshot, "StCha", "DCWH");
  auto discharged = storage_module_value(snapshot, "StDisCha", "DCWH");
  if (port) {
    if (!charged) charged = number_of(*port, "DCWhAbs");
    if (!discharged) discharged = number_of(*port, "DCWhInj");
  }
  state["charge_energy"] = number_or_null(charged);
  state["discharge_energy"] = number_or_null(discharged);

  Json status = nullptr;
  if (bank) status = symbol_of(bank->group, "State");
  if (status.is_null() && bank) status = symbol_of(bank->group, "ChaSt");
  if (status.is_null() && basic) status = symbol_of(basic->group, "ChaSt");
  state["state"] = status;
  if (basic) {
    const double mode = basic->number("StorCtl_Mod").value_or(0);
    state["control"] = mode == 0 ? "device" : "setpoint";
  }
  return state;
}

Json meter_state(const Snapshot& snapshot) {
  Json state;
  const DecodedModel* meter = snapshot.first_of({201, 202, 203, 204, 211, 212, 213, 214});
  state["power"] = meter ? number_or_null(meter->number("W")) : Json(nullptr);
  state["energy_import"] = meter ? number_or_null(meter->number("TotWhImp")) : Json(nullptr);
  state["energy_export"] = meter ? number_or_null(meter->number("TotWhExp")) : Json(nullptr);
  return state;
}

std::string text_point(const DecodedModel* common, const char* point) {
  if (!common || !common->group.contains("points")) return "";
  const auto& points = common->group["points"];
  return points.contains(point) && points[point].is_string() ? points[point].get<std::string>() : "";
}

}  // namespace

const char* function_suffix(Function function) {
  switch (function) {
    case Function::pv:
      return "pv";
    case Function::battery:
      return "battery";
    case Function::meter:
      return "meter";
  }
  return "?";
}

std::vector<Function> functions_of(const DeviceMap& map) {
  std::vector<Function> out;
  const bool storage = any_of(map, kStorage);
  if (any_of(map, kInverters) || (map.find(701) && !storage)) out.push_back(Function::pv);
  if (storage) out.push_back(Function::battery);
  if (any_of(map, kMeters)) out.push_back(Function::meter);
  return out;
}

std::vector<uint16_t> polled_models(const DeviceMap& map) {
  static constexpr uint16_t kPolled[] = {101, 102, 103, 111, 112, 113, 701, 714, 160, 123, 704,
                                         124, 802, 713, 201, 202, 203, 204, 211, 212, 213, 214};
  std::vector<uint16_t> out;
  for (const uint16_t id : kPolled)
    if (map.find(id)) out.push_back(id);
  return out;
}

const DecodedModel* Snapshot::find(uint16_t id) const {
  for (const auto& model : models)
    if (model.location.id == id && model.known()) return &model;
  return nullptr;
}

const DecodedModel* Snapshot::first_of(std::initializer_list<uint16_t> ids) const {
  for (const uint16_t id : ids)
    if (const DecodedModel* model = find(id)) return model;
  return nullptr;
}

nlohmann::json function_state(Function function, const Snapshot& snapshot) {
  switch (function) {
    case Function::pv:
      return pv_state(snapshot);
    case Function::battery:
      return battery_state(snapshot);
    case Function::meter:
      return meter_state(snapshot);
  }
  return nlohmann::json::object();
}

Identity identity_of(const Snapshot& snapshot) {
  Identity out;
  const DecodedModel* common = snapshot.find(1);
  if (const std::string mn = text_point(common, "Mn"); !mn.empty()) out.manufacturer = mn;
  out.model = text_point(common, "Md");
  out.serial = text_point(common, "SN");
  out.version = text_point(common, "Vr");
  return out;
}

}  // namespace hepek::sunspec
