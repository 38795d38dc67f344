// The 1-Wire thermometers the Linux w1 subsystem lists in sysfs (/sys/bus/w1/devices by default; a test or
// an owfs-less board points it elsewhere) and one read of a sensor's w1_slave file.
//
// Contract: pure functions of the file system, thread-safe, never throw; errors name the directory or file.
// A w1_slave read blocks while the sensor converts (about 750 ms at 12 bits on real hardware), so callers run
// it off the hub thread. At most kMaxW1SlaveBytes are read: a file that is larger is not a w1_slave.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <hepek/result.hpp>

namespace hepek::w1 {

inline constexpr std::size_t kMaxW1SlaveBytes = 4096;

// The ids of the thermometers in `devices_dir` (entries like "28-0316a2793aff"), sorted.
Result<std::vector<std::string>> list_thermometers(const std::filesystem::path& devices_dir);

// The °C that `devices_dir`/`sensor_id`/w1_slave reports now (parse_w1_slave's checks).
Result<double> read_thermometer(const std::filesystem::path& devices_dir, const std::string& sensor_id);

}  // namespace hepek::w1
