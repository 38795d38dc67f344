#include "plugin_config.hpp"

#include "hepek/config_values.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace hepek::dsmr {
std::vector<hepek::ConfigRow> MeterConfig::schema() {
  return {
      hepek::ConfigRow{"source", HEPEK_CONFIG_STRING, "\"serial\"", false,
                       "Where telegrams come from: serial, tcp or file"}
          .one_of({"serial", "tcp", "file"}),
      {"device", HEPEK_CONFIG_STRING, "\"/dev/ttyUSB0\"", false, "serial: the P1 cable's device"},
      {"baud", HEPEK_CONFIG_INTEGER, "115200", false, "serial: baud rate (DSMR 2.2/3: 9600)"},
      hepek::ConfigRow{"data_bits", HEPEK_CONFIG_INTEGER, "8", false, "serial: 7 or 8 (DSMR 2.2/3: 7)"}
          .between(7, 8),
      hepek::ConfigRow{"parity", HEPEK_CONFIG_STRING, "\"none\"", false,
                       "serial: none, even or odd (DSMR 2.2/3: even)"}
          .one_of({"none", "even", "odd"}),
      hepek::ConfigRow{"stop_bits", HEPEK_CONFIG_INTEGER, "1", false, "serial: 1 or 2"}.between(1, 2),
      {"host", HEPEK_CONFIG_STRING, "\"\"", false, "tcp: host of the P1 bridge (ser2net, dongle)"},
      hepek::ConfigRow{"port", HEPEK_CONFIG_INTEGER, "0", false, "tcp: port of the P1 bridge"}.between(0,
                                                                                                       65535),
      {"path", HEPEK_CONFIG_PATH, "\"\"", false, "file: a file of recorded telegrams to replay"},
      hepek::ConfigRow{"interval_ms", HEPEK_CONFIG_INTEGER, "1000", false,
                       "file: replay one telegram per interval (live mode)"}
          .at_least(1),
      {"loop", HEPEK_CONFIG_BOOLEAN, "false", false, "file: start again at the end"},
      hepek::ConfigRow{"reconnect_ms", HEPEK_CONFIG_INTEGER, "5000", false,
                       "serial/tcp: wait before reopening a failed link"}
          .at_least(1),
      hepek::ConfigRow{"idle_timeout_ms", HEPEK_CONFIG_INTEGER, "30000", false,
                       "serial/tcp: reopen the link after this long without a byte"}
          .at_least(1000),
  };
}

MeterConfig MeterConfig::from_json(const nlohmann::json& config) {
  if (!config.is_object()) throw std::invalid_argument("the configuration must be a table");
  MeterConfig out;
  const std::string source = hepek::config_value<std::string>(config, "source", "serial");
  if (source == "serial")
    out.source = Source::serial;
  else if (source == "tcp")
    out.source = Source::tcp;
  else if (source == "file")
    out.source = Source::file;
  else
    throw std::invalid_argument("source: \"" + source + "\" is not \"serial\", \"tcp\" or \"file\"");

  out.serial.device = hepek::config_value<std::string>(config, "device", out.serial.device);
  out.serial.baud = hepek::config_value<int>(config, "baud", out.serial.baud);
  out.serial.data_bits = hepek::config_value<int>(config, "data_bits", out.serial.data_bits);
  out.serial.parity = hepek::config_value<std::string>(config, "parity", out.serial.parity);
  out.serial.stop_bits = hepek::config_value<int>(config, "stop_bits", out.serial.stop_bits);
  out.host = hepek::config_value<std::string>(config, "host", "");
  out.port = hepek::config_value<int>(config, "port", 0);
  out.path = hepek::config_value<std::string>(config, "path", "");
  out.interval_ms = hepek::config_value<int64_t>(config, "interval_ms", out.interval_ms);
  out.loop = hepek::config_value<bool>(config, "loop", false);
  const auto reconnect_ms = hepek::config_value<int64_t>(config, "reconnect_ms", 5000);
  const auto idle_timeout_ms = hepek::config_value<int64_t>(config, "idle_timeout_ms", 30000);

  if (out.source == Source::serial) out.serial.validate();
  if (out.source == Source::tcp) {
    if (out.host.empty()) throw std::invalid_argument("host: required for source = \"tcp\"");
    if (out.port < 1 || out.port > 65535)
      throw std::invalid_argument(fmt::format("port: {} is not a TCP port (1-65535)", out.port));
  }
  if (out.source == Source::file && out.path.empty())
    throw std::invalid_argument("path: a telegram file is required for source = \"file\"");
  if (out.interval_ms < 1)
    throw std::invalid_argument(fmt::format("interval_ms: {} must be positive", out.interval_ms));
  if (reconnect_ms < 1)
    throw std::invalid_argument(fmt::format("reconnect_ms: {} must be positive", reconnect_ms));
  if (idle_timeout_ms < 1000)
    throw std::invalid_argument(fmt::format("idle_timeout_ms: {} must be at least 1000", idle_timeout_ms));
  out.worker.reconnect_delay = std::chrono::milliseconds(reconnect_ms);
  out.worker.idle_timeout = std::chrono::milliseconds(idle_timeout_ms);
  return out;
}

}  // namespace hepek::dsmr
