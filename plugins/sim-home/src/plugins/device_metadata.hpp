// Entity metadata of the simulated devices (announced on hepek/<device>/config). The battery's command schema
// is what the hub validates /set commands against before they reach the plugin.
//
// Contract: pure functions building hepek::Device values; field names are the keys of each device's state
// JSON. The battery implements the "battery" interface (interfaces.hpp): soc, power, setpoint_w, expires_s; the
// house the "climate" interface and its outdoor thermometer "temperature_sensor" role outdoor.
#pragma once

#include <string>

#include <hepek/entity.hpp>
#include <hepek/interfaces.hpp>

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

inline Device house_climate_device(const std::string& name) {
  Entity override_until{"override_until", "Override until", "", "timestamp", "", std::nullopt};
  override_until.recorded = false;
  return Device{
      name,
      "House with AC (simulated)",
      {sensor("temperature", "°C", "temperature", "measurement", "Indoor temperature"),
       number_command("target_temperature", 5, 35, "°C", "temperature", "Target temperature"),
       enum_command("hvac_mode", {"off", "heat", "cool", "auto"}, "HVAC mode"),
       text_sensor("hvac_action", "HVAC action"),
       sensor("power", "W", "power", "measurement", "AC electric power"), text_sensor("power_estimated"),
       sensor("comfort_min", "°C", "temperature", "measurement", "Comfort band, lower edge"),
       sensor("comfort_max", "°C", "temperature", "measurement", "Comfort band, upper edge"), override_until,
       number_command("expires_s", 1, 7 * 86400, "s", "duration", "Override lifetime"),
       energy_counter("energy", "AC energy consumed")},
      "sim-house"}
      .implements(std::string(interfaces::kClimate));
}

inline Device outdoor_thermometer_device(const std::string& name) {
  return Device{name, "Outdoor temperature (simulated)",
                interfaces::canonical_entities(interfaces::kTemperatureSensor), "sim-house"}
      .implements(std::string(interfaces::kTemperatureSensor), "outdoor");
}

}  // namespace hepek::sim
