// A direct Modbus TCP client on a SunSpec device (the pymodbus simulator), for tests that look at the registers
// the plugin wrote or at what the device does on its own: one register of a point by model id and point name,
// through the plugin's own link, chain walk and point addresses (never a hand-computed offset).
//
// Errors: the constructor and point() throw std::runtime_error naming the connection, model or point.
// Thread-safety: one thread; each instance has its own connection.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "controls.hpp"
#include "device_map.hpp"
#include "modbus_link.hpp"
#include "model_definition.hpp"

namespace hepek::sunspec {

class DeviceRegisters {
 public:
  explicit DeviceRegisters(int port, uint32_t base = 40000)
      : link_([&] {
          LinkSettings settings;
          settings.host = "127.0.0.1";
          settings.port = port;
          return settings;
        }()) {
    const Status connected = link_.connect();
    if (!connected.ok()) throw std::runtime_error(connected.error());
    map_ = walk_models(link_, base);
  }

  // The raw register of a one-register point (cast to int16_t for a signed one).
  uint16_t point(uint16_t model, const std::string& name) {
    const ModelLocation* location = map_.find(model);
    if (!location) throw std::runtime_error("the device has no model " + std::to_string(model));
    const auto address = point_address(*find_model(model), *location, name);
    if (!address) throw std::runtime_error("model " + std::to_string(model) + " has no point " + name);
    const ReadResult read = link_.read(*address, 1);
    if (!read.ok()) throw std::runtime_error(read.error);
    return read.words.at(0);
  }

 private:
  ModbusLink link_;
  DeviceMap map_;
};

}  // namespace hepek::sunspec
