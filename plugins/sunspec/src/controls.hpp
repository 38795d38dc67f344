// Device controls as register writes, each with a safety expiry the device itself carries out (its revert
// timer), and the read-back that verifies them.
//  - Battery setpoint S W (+ = discharge) for `expires_s`: model 124 when present, the way Fronius and the
//    SunSpec storage model force a power: both limits active (StorCtl_Mod = CHARGE|DISCHARGE), OutWRte =
//    S / WChaMax × 100 % and InWRte = -S / WChaMax × 100 % (so the charge limit and the discharge limit meet
//    at S), InOutWRte_RvrtTms = expires_s: when it runs out the device drops the limits and runs on its own.
//    Without 124: model 704, WSetMod = WATTS, WSet = S, WSetRvrt = 0, WSetEnaRvrt = DISABLED, WSetRvrtTms =
//    expires_s, WSetEna = ENABLED.
//  - PV curtailment to L W for `expires_s`: model 123, WMaxLimPct = L / WMax × 100 % (WMax from 121, else the
//    120 rating), WMaxLimPct_RvrtTms = expires_s, WMaxLim_Ena = ENABLED; L at or above WMax lifts the limit
//    (WMaxLim_Ena = DISABLED). Without 123: model 704 WMaxLimPct, WMaxLimPctRvrt = 100 %, WMaxLimPctEnaRvrt =
//    DISABLED, WMaxLimPctRvrtTms, WMaxLimPctEna.
// plan_*() fail naming the model and point that is missing or out of range; execute() writes the plan in
// order (each write one contiguous run of registers, function 16) and reads every run back: a refused write
// (Modbus exception) or a read-back that differs is an error naming the device, the register and both values.
// Not thread-safe (uses the link); pure otherwise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <hepek/result.hpp>

#include "device_functions.hpp"
#include "model_definition.hpp"
#include "register_source.hpp"

namespace hepek::sunspec {

struct PointWrite {
  uint16_t model = 0;
  std::string point;
  uint32_t address = 0;
  std::vector<uint16_t> words;
  std::string shown;  // the value written, for messages ("4000 (40.00 %)")
};

struct ControlPlan {
  std::vector<PointWrite> writes;  // in order
  std::string summary;             // "model 124: StorCtl_Mod=3, OutWRte=40 %, ..."
};

// The longest expiry a device can carry out for the battery / PV control it would use (uint16 timers of
// 123/124: 65535 s; uint32 of 704), or nullopt when the device has no such control.
std::optional<uint32_t> battery_expiry_limit(const DeviceMap& map);
std::optional<uint32_t> pv_expiry_limit(const DeviceMap& map);
// The rated battery power (124 WChaMax) and PV power (121 WMax, 120 WRtg, 702 WMaxRtg) for command ranges.
std::optional<double> battery_rating_w(const Snapshot& snapshot);
std::optional<double> pv_rating_w(const Snapshot& snapshot);

// `snapshot` holds the control model freshly read (its scale factors) and the ratings.
Result<ControlPlan> plan_battery_setpoint(const DeviceMap& map, const Snapshot& snapshot, double setpoint_w,
                                          uint32_t expires_s);
Result<ControlPlan> plan_pv_limit(const DeviceMap& map, const Snapshot& snapshot, double limit_w,
                                  uint32_t expires_s);

Status execute_plan(RegisterWriter& device, const ControlPlan& plan);

// The address of a top-level point of a model (control points all are).
std::optional<uint32_t> point_address(const ModelDefinition& definition, const ModelLocation& location,
                                      std::string_view point);

}  // namespace hepek::sunspec
