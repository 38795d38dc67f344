// A 1-Wire temperature sensor's reading as the Linux w1_therm driver gives it in sysfs
// (/sys/bus/w1/devices/<family>-<serial>/w1_slave): two lines, the scratchpad bytes with the driver's CRC
// verdict ("... : crc=57 YES") and the same bytes with the temperature in millidegrees ("... t=23125").
//
// Contract: parse_w1_slave() reads any bytes and returns the temperature in °C, or an error naming what is
// wrong: no CRC verdict, a CRC "NO" (a disturbed bus: the next read usually succeeds), no "t=" or a value
// that is not an integer, the power-on reset value 85 °C (a sensor that lost power during the conversion
// reports it instead of a measurement; Linux's own w1_therm warns about it too), a value outside the sensor
// family's range. Pure functions, thread-safe, never throw.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <hepek/result.hpp>

namespace hepek::w1 {

// The w1_therm families (the part of the id before '-'): DS18S20 10, DS1822 22, DS18B20 28, MAX31850 3b,
// DS28EA00 42, DS1825 3b as well. Other 1-Wire families (counters, switches, EEPROMs) are not thermometers.
bool is_thermometer(std::string_view sensor_id);

// The °C a w1_slave text reports; all w1_therm parts measure within -55..+125 °C.
Result<double> parse_w1_slave(std::string_view text);

}  // namespace hepek::w1
