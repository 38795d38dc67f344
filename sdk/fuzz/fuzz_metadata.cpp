// libFuzzer target: entity metadata as consumers read it from a retained hepek/<device>/config (the planner and
// the ergon member check interfaces on it; DeviceDirectory indexes it): declared_interfaces(), check_implements()
// for every interface of the catalogue with no role, each allowed role and an unknown one, DeviceDirectory, and
// writable_fields() (what /set validation reads).
// Invariants besides ASan/UBSan: nothing throws (the contract: bad shapes are an error result); the directory
// finds a device exactly when check_implements() accepts it; a config that implements an interface with a role
// also implements it without one; the result does not change when the document goes through dump() and back.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hepek/command_validation.hpp"
#include "hepek/interfaces.hpp"
#include "hepek/json_limits.hpp"
#include "hepek/testing/fuzz_check.hpp"

namespace hi = hepek::interfaces;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  if (!hepek::json_limits::check(payload)) return 0;  // the hub drops these before any plugin sees them
  const auto config = nlohmann::json::parse(payload, nullptr, false);
  (void)hi::declared_interfaces(config);
  (void)hepek::writable_fields(config);

  hi::DeviceDirectory directory;
  directory.on_config("device", payload);
  const auto reparsed =
      config.is_discarded()
          ? config
          : nlohmann::json::parse(config.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                                  nullptr, false);
  for (const auto& spec : hi::catalogue()) {
    std::vector<std::string> roles{""};
    roles.insert(roles.end(), spec.roles.begin(), spec.roles.end());
    roles.push_back("no-such-role");
    for (const auto& role : roles) {
      const auto status = hi::check_implements(config, spec.name, role);
      const auto found = directory.find(spec.name, role);
      HEPEK_FUZZ_CHECK(status.ok() == (found.size() == 1), "the directory agrees with check_implements");
      if (status.ok() && !role.empty())
        HEPEK_FUZZ_CHECK(hi::check_implements(config, spec.name).ok(), "a role only narrows the check");
      if (hepek::testing::dumps_strictly(config))
        HEPEK_FUZZ_CHECK(hi::check_implements(reparsed, spec.name, role).ok() == status.ok(),
                         "the check survives a dump() and parse()");
    }
  }
  return 0;
}
