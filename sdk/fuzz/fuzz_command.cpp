// libFuzzer target: a hepek/<device>/set command checked the way the hub checks it (core/src/host_backends.cpp:
// json_limits::check, then validate_command against the device's announced metadata).
// Input: a command, validated against a built-in device with every command type; or metadata, a NUL byte and a
// command (a plugin's announced metadata is outside input too: the hub keeps whatever JSON object it is given).
// Invariants besides ASan/UBSan: nothing throws; a rejection is a reply the hub can publish (its strict dump()
// succeeds) and, for the built-in device, quotes only a bounded prefix of the command; an accepted command
// parses as a non-empty object whose every key is a writable field and whose numbers lie within its bounds.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "hepek/command_validation.hpp"
#include "hepek/entity.hpp"
#include "hepek/json_limits.hpp"
#include "hepek/testing/fuzz_check.hpp"

namespace {

const nlohmann::json& built_in_device() {
  static const nlohmann::json metadata = [] {
    hepek::Entity label{"label", "", "", "", "", hepek::CommandSchema{"string", {}, {}, {}, 16}};
    label.recorded = false;
    return hepek::Device{
        "device",
        "Every command type",
        {hepek::sensor("soc", "%", "battery", "measurement"),
         hepek::number_command("setpoint_w", -5000, 5000, "W", "power"),
         hepek::integer_command("position", 0, 100, "%"), hepek::enum_command("mode", {"auto", "manual"}),
         hepek::boolean_command("enabled"), label}}
        .to_json();
  }();
  return metadata;
}

void check_accepted(const nlohmann::json& metadata, std::string_view payload) {
  const auto command = nlohmann::json::parse(payload, nullptr, false);
  HEPEK_FUZZ_CHECK(command.is_object() && !command.empty(), "an accepted command is a non-empty object");
  const nlohmann::json writable = hepek::writable_fields(metadata);
  for (const auto& [key, value] : command.items()) {
    HEPEK_FUZZ_CHECK(writable.contains(key), "an accepted command writes only writable fields");
    const auto& schema = writable[key];
    if (!value.is_number() || !schema.is_object()) continue;
    if (schema.contains("min") && schema["min"].is_number())
      HEPEK_FUZZ_CHECK(value.get<double>() >= schema["min"].get<double>(), "an accepted number is >= min");
    if (schema.contains("max") && schema["max"].is_number())
      HEPEK_FUZZ_CHECK(value.get<double>() <= schema["max"].get<double>(), "an accepted number is <= max");
  }
  HEPEK_FUZZ_CHECK(hepek::testing::dumps_strictly(command), "the hub echoes an accepted command");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = hepek::testing::split_input(data, size);
  const bool own_metadata = input.second.has_value();
  nlohmann::json metadata = built_in_device();
  std::string_view payload = input.whole;
  if (own_metadata) {
    // As Hub::announce_for takes it: any JSON object.
    metadata = nlohmann::json::parse(input.first, nullptr, false);
    if (metadata.is_discarded() || !metadata.is_object() || !hepek::json_limits::check(input.first)) return 0;
    payload = *input.second;
  }
  if (!hepek::json_limits::check(payload)) return 0;  // the hub answers these before validation

  const std::string problem = hepek::validate_command(metadata, payload);
  if (problem.empty()) {
    check_accepted(metadata, payload);
    return 0;
  }
  const nlohmann::json reply{{"ok", false}, {"error", problem}};
  HEPEK_FUZZ_CHECK(hepek::testing::dumps_strictly(reply), "the hub can publish the rejection");
  if (!own_metadata) HEPEK_FUZZ_CHECK(problem.size() <= 1024, "a rejection quotes a bounded prefix");
  return 0;
}
