// libFuzzer target: a third-party smart switch's state payload as the relay's MQTT backend reads it
// (parse_switch_state, switch_payload.hpp: "ON"/"off", Tasmota's {"POWER":"ON"}, Shelly's {"output":true},
// strings nested in JSON), with the default payloads ("ON"/"OFF") and with lower-case ones.
// Invariants besides ASan/UBSan: nothing throws; the on and off payloads themselves, padded and in any case,
// read as on and off; the verdict does not depend on the case of the configured payloads.
#include <cstddef>
#include <cstdint>
#include <string>

#include "hepek/json_limits.hpp"
#include "hepek/testing/fuzz_check.hpp"
#include "switch_payload.hpp"

using hepek::relay::parse_switch_state;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  if (!hepek::json_limits::check(payload)) return 0;  // the hub drops these before the relay sees them
  const auto upper = parse_switch_state(payload, "ON", "OFF");
  HEPEK_FUZZ_CHECK(upper == parse_switch_state(payload, "on", "off"), "the payload case does not matter");
  const std::string on = " \t" + std::string(payload) + "\n";
  // The other payload of each check is a placeholder no configuration uses; an input equal to it is skipped.
  if (!payload.empty() && payload.find_first_not_of(" \t\r\n\f\v") != std::string_view::npos &&
      payload != "\x01unused") {
    HEPEK_FUZZ_CHECK(parse_switch_state(on, payload, "\x01unused") == true, "the on payload reads as on");
    HEPEK_FUZZ_CHECK(parse_switch_state(on, "\x01unused", payload) == false, "the off payload reads as off");
  }
  return 0;
}
