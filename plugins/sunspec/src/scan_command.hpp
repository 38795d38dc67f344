// `hepek sunspec scan`: discovers a SunSpec device (TCP, RTU, or a register dump file), reads every model once
// and prints exactly one JSON document on `out` (logs and errors on `err`):
//   {"device":"tcp 10.0.0.5:502 unit 1","base":40000,"unit":1,"models":[{"id":103,"name":"inverter_three_phase",
//    "address":40070,"length":50,"points":{"W":14470.0,...},"symbols":{"St":"MPPT"},"groups":{...},
//    "notes":[...]},...],"end_marker":41379,"requests":12,"notes":[...]}
// Scaled values, null where not implemented, every point of every model the device has. Exit 0 when the scan
// completed, 1 when the device could not be scanned (the document then has "error"), 2 on a usage error.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace hepek::sunspec {

int run_scan_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace hepek::sunspec
