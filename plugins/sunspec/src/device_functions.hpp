// What a SunSpec device is, in the hub's device interfaces (sdk/include/hepek/interfaces.hpp), and its readings
// in their canonical fields, from the decoded models:
//  - pv_inverter: inverter 101-103 / 111-113 (float) or DER 701; power (W, + = production), energy (Wh), dc_power
//    and dc_power_<n> per MPPT (model 160 modules; a Fronius Gen24's StCha/StDisCha modules are the battery,
//    not PV), state (the operating state's symbol), temperature (°C, cabinet, else heat sink);
//  - battery: 124, 802 or 713; soc (%: 802 SoC, else 713 SoC, else 124 ChaState), power (W, + = discharge: 802
//    W, else the 160 StDisCha-StCha modules), charge_energy / discharge_energy (Wh: the StCha/StDisCha modules'
//    counters, else 714's storage port DCWhAbs/DCWhInj), state (802 State, else the charge status ChaSt);
//  - grid_meter: meter 201-204 / 211-214 (float); power (W, + = import), energy_import, energy_export (Wh).
// A field the device does not offer (or reports "not implemented") is null in the state. Pure functions,
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <hepek/entity.hpp>
#include <nlohmann/json.hpp>

#include "device_map.hpp"
#include "model_decoder.hpp"

namespace hepek::sunspec {

enum class Function { pv, battery, meter };
const char* function_suffix(Function function);  // "pv", "battery", "meter"

// The functions the models on the map make the device, in the order pv, battery, meter.
std::vector<Function> functions_of(const DeviceMap& map);
// The model ids the poll must read for those functions (measurements and the control models read back).
std::vector<uint16_t> polled_models(const DeviceMap& map);

// The decoded models of one poll.
struct Snapshot {
  std::vector<DecodedModel> models;
  const DecodedModel* find(uint16_t id) const;
  const DecodedModel* first_of(std::initializer_list<uint16_t> ids) const;
};

// The device's state for one function: canonical fields (null where unknown) and extras.
nlohmann::json function_state(Function function, const Snapshot& snapshot);

// Identity from the common model (1): manufacturer, model, serial number, version.
struct Identity {
  std::string manufacturer = "SunSpec";
  std::string model;
  std::string serial;
  std::string version;
};
Identity identity_of(const Snapshot& snapshot);

}  // namespace hepek::sunspec
