// Entity metadata of the simulated devices (announced on hepek/<device>/config). The battery's command schema
// is what the hub validates /set commands against before they reach the plugin.
//
// Contract: pure functions building hepek::Device values; field names are the keys of each device's state
// JSON. The battery implements the "battery" interface (interfaces.hpp): soc, power, setpoint_w, expires_s.
#pragma once

#include <string>

#include <hepek/entity.hpp>

namespace hepek::sim {

inline Device battery_device(const std::string& name, double max_charge_w, double max_discharge_w) {
  return Device{
      name,
      "Home battery (simulated)",
      {sensor("soc", "%", "battery", "measurement", "State of charge"),
       sensor("power", "W", "power", "measurement"), energy_counter("charge_energy", "Energy charged"),
       energy_counter("discharge_energy", "Energy discharged"),
       number_command("setpoint_w", -max_charge_w, max_discharge_w, "W", "power", "Setpoint (+ discharge)"),
       number_command("expires_s", 1, 7 * 86400, "s", "duration", "Setpoint lifetime"), text_sensor("mode")},
      "sim-battery"}
      .implements("battery");
}

}  // namespace hepek::sim
