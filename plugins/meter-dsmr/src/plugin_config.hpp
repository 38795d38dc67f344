// The meter-dsmr plugin's configuration: its schema rows (validated by the core) and the typed, checked form
// the plugin runs on. from_json() throws std::invalid_argument naming the key and what is wrong with it.
//
//   [[plugin]]
//   id = "grid_meter"
//   type = "meter-dsmr"
//   source = "serial"          # "serial" | "tcp" | "file"
//   device = "/dev/ttyUSB0"    # serial: 115200 8N1 by default (DSMR 2.2/3: baud = 9600, data_bits = 7,
//                              #         parity = "even")
//   host = "192.168.1.50"      # tcp (ser2net, P1 dongles)
//   port = 2001
//   path = "p1.txt"            # file: replayed one telegram per interval_ms (per sense step in simulation)
//   interval_ms = 1000
//   loop = false
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <hepek/plugin.hpp>
#include <nlohmann/json.hpp>

#include "serial_port.hpp"
#include "source_worker.hpp"

namespace hepek::dsmr {

struct MeterConfig {
  enum class Source { serial, tcp, file };
  Source source = Source::serial;
  SerialSettings serial;
  std::string host;
  int port = 0;
  std::string path;
  int64_t interval_ms = 1000;
  bool loop = false;
  WorkerSettings worker;

  static std::vector<hepek::ConfigRow> schema();
  static MeterConfig from_json(const nlohmann::json& config);
};

}  // namespace hepek::dsmr
