// Maps the payloads of third-party smart switches to on/off, for the relay's MQTT backend.
//
// Contract: parse_switch_state(payload, on, off) is true/false when the payload equals `on`/`off` (ignoring
// case and surrounding whitespace), or is a JSON object whose "POWER", "state", "output" or "ison" value does
// (strings) or is a boolean (Tasmota's stat/<x>/RESULT {"POWER":"ON"}, Shelly Gen2's {"output":true}, Shelly
// Gen1's "on"/"off"); nullopt for anything else. Pure function.
#pragma once

#include <optional>
#include <string_view>

namespace hepek::relay {

std::optional<bool> parse_switch_state(std::string_view payload, std::string_view on_payload,
                                       std::string_view off_payload);

}  // namespace hepek::relay
