// The sunspec plugin's configuration: its schema rows (checked by the core) and the typed form the plugin runs
// on. from_json() throws std::invalid_argument naming the key and what is wrong.
//
//   [[plugin]]
//   id = "inverter"
//   type = "sunspec"
//   transport = "tcp"          # "tcp" | "rtu"
//   host = "192.168.1.20"      # tcp
//   port = 502
//   device = "/dev/ttyUSB0"    # rtu: 9600 8N1 by default (baud, parity, data_bits, stop_bits)
//   unit = 1                   # Modbus unit id
//   base = -1                  # -1: discover (40000, 50000, 0, 4096, 1, 40001); else the SunS address
//   poll_s = 5
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <hepek/plugin.hpp>
#include <nlohmann/json.hpp>

#include "modbus_link.hpp"

namespace hepek::sunspec {

struct PluginConfig {
  LinkSettings link;
  int64_t base = -1;  // -1: discover
  int64_t poll_ms = 5000;
  int64_t reconnect_min_ms = 1000;
  int64_t reconnect_max_ms = 60000;
  uint32_t default_expires_s = 900;
  std::string meter_role = "grid";

  static std::vector<hepek::ConfigRow> schema();
  static PluginConfig from_json(const nlohmann::json& config);
};

}  // namespace hepek::sunspec
