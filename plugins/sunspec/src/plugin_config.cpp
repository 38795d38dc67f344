#include "plugin_config.hpp"

#include "hepek/config_values.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace hepek::sunspec {
std::vector<hepek::ConfigRow> PluginConfig::schema() {
  return {
      hepek::ConfigRow{"transport", HEPEK_CONFIG_STRING, "\"tcp\"", false, "Modbus TCP or RTU (serial)"}
          .one_of({"tcp", "rtu"}),
      {"host", HEPEK_CONFIG_STRING, "\"\"", false, "tcp: the device's address"},
      hepek::ConfigRow{"port", HEPEK_CONFIG_INTEGER, "502", false, "tcp: the Modbus TCP port"}.between(1,
                                                                                                       65535),
      {"device", HEPEK_CONFIG_STRING, "\"/dev/ttyUSB0\"", false, "rtu: the serial port (RS-485 adapter)"},
      hepek::ConfigRow{"baud", HEPEK_CONFIG_INTEGER, "9600", false, "rtu: baud rate"}.between(300, 4000000),
      hepek::ConfigRow{"parity", HEPEK_CONFIG_STRING, "\"none\"", false, "rtu: none, even or odd"}.one_of(
          {"none", "even", "odd"}),
      hepek::ConfigRow{"data_bits", HEPEK_CONFIG_INTEGER, "8", false, "rtu: 7 or 8"}.between(7, 8),
      hepek::ConfigRow{"stop_bits", HEPEK_CONFIG_INTEGER, "1", false, "rtu: 1 or 2"}.between(1, 2),
      hepek::ConfigRow{"unit", HEPEK_CONFIG_INTEGER, "1", false, "Modbus unit id (slave address)"}.between(
          0, 255),
      hepek::ConfigRow{"base", HEPEK_CONFIG_INTEGER, "-1", false,
                       "address of the SunS marker; -1 discovers it (40000, 50000, 0, 4096, 1, 40001)"}
          .between(-1, 65533),
      hepek::ConfigRow{"poll_s", HEPEK_CONFIG_DURATION, "5", false, "time between polls"}.between(1, 3600),
      hepek::ConfigRow{"timeout_ms", HEPEK_CONFIG_INTEGER, "1000", false, "Modbus response timeout"}.between(
          10, 60000),
      hepek::ConfigRow{"reconnect_min_s", HEPEK_CONFIG_DURATION, "1", false,
                       "first wait before reconnecting after a failure (doubles up to reconnect_max_s)"}
          .between(1, 3600),
      hepek::ConfigRow{"reconnect_max_s", HEPEK_CONFIG_DURATION, "60", false,
                       "longest wait between reconnects"}
          .between(1, 86400),
      hepek::ConfigRow{
          "default_expires_s", HEPEK_CONFIG_DURATION, "900", false,
          "lifetime of a battery setpoint or PV limit sent without expires_s (the device reverts "
          "by itself after it)"}
          .between(1, 65535),
      hepek::ConfigRow{"meter_role", HEPEK_CONFIG_STRING, "\"grid\"", false,
                       "a SunSpec meter is the grid connection point (grid) or a submeter"}
          .one_of({"grid", "submeter"}),
  };
}

PluginConfig PluginConfig::from_json(const nlohmann::json& config) {
  if (!config.is_object()) throw std::invalid_argument("the configuration must be a table");
  PluginConfig out;
  const std::string transport = hepek::config_value<std::string>(config, "transport", "tcp");
  if (transport != "tcp" && transport != "rtu")
    throw std::invalid_argument("transport: \"" + transport + "\" is not \"tcp\" or \"rtu\"");
  out.link.kind = transport == "tcp" ? LinkSettings::Kind::tcp : LinkSettings::Kind::rtu;
  out.link.host = hepek::config_value<std::string>(config, "host", "");
  out.link.port = hepek::config_value<int>(config, "port", 502);
  out.link.serial_device = hepek::config_value<std::string>(config, "device", "/dev/ttyUSB0");
  out.link.baud = hepek::config_value<int>(config, "baud", 9600);
  const std::string parity = hepek::config_value<std::string>(config, "parity", "none");
  if (parity != "none" && parity != "even" && parity != "odd")
    throw std::invalid_argument("parity: \"" + parity + "\" is not none, even or odd");
  out.link.parity = parity == "none" ? 'N' : parity == "even" ? 'E' : 'O';
  out.link.data_bits = hepek::config_value<int>(config, "data_bits", 8);
  out.link.stop_bits = hepek::config_value<int>(config, "stop_bits", 1);
  out.link.unit = hepek::config_value<int>(config, "unit", 1);
  out.link.timeout_ms = hepek::config_value<int>(config, "timeout_ms", 1000);
  out.base = hepek::config_value<int64_t>(config, "base", -1);
  out.poll_ms = 1000 * hepek::config_value<int64_t>(config, "poll_s", 5);
  out.reconnect_min_ms = 1000 * hepek::config_value<int64_t>(config, "reconnect_min_s", 1);
  out.reconnect_max_ms = 1000 * hepek::config_value<int64_t>(config, "reconnect_max_s", 60);
  out.default_expires_s =
      static_cast<uint32_t>(hepek::config_value<int64_t>(config, "default_expires_s", 900));
  out.meter_role = hepek::config_value<std::string>(config, "meter_role", "grid");

  if (out.link.kind == LinkSettings::Kind::tcp && out.link.host.empty())
    throw std::invalid_argument("host: required for transport = \"tcp\"");
  if (out.link.kind == LinkSettings::Kind::rtu && out.link.serial_device.empty())
    throw std::invalid_argument("device: required for transport = \"rtu\"");
  if (out.link.port < 1 || out.link.port > 65535)
    throw std::invalid_argument(fmt::format("port: {} is not a TCP port (1-65535)", out.link.port));
  if (out.link.unit < 0 || out.link.unit > 255)
    throw std::invalid_argument(fmt::format("unit: {} is not a Modbus unit id (0-255)", out.link.unit));
  if (out.base < -1 || out.base > 65533)
    throw std::invalid_argument(fmt::format("base: {} is not -1 or a register address (0-65533)", out.base));
  if (out.poll_ms < 1000) throw std::invalid_argument("poll_s: must be at least 1 s");
  if (out.link.timeout_ms < 10) throw std::invalid_argument("timeout_ms: must be at least 10");
  if (out.reconnect_min_ms < 1000 || out.reconnect_max_ms < out.reconnect_min_ms)
    throw std::invalid_argument(
        fmt::format("reconnect_min_s ({} s) must be at least 1 s and at most reconnect_max_s "
                    "({} s)",
                    out.reconnect_min_ms / 1000, out.reconnect_max_ms / 1000));
  if (out.default_expires_s < 1 || out.default_expires_s > 65535)
    throw std::invalid_argument("default_expires_s: must be 1-65535 s (the device's revert timer)");
  if (out.meter_role != "grid" && out.meter_role != "submeter")
    throw std::invalid_argument("meter_role: \"" + out.meter_role + "\" is not grid or submeter");
  return out;
}

}  // namespace hepek::sunspec
