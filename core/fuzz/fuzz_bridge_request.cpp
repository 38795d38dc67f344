// libFuzzer target: a request on hepek/bridge/request/<name>, read and answered as the hub does
// (core/src/bridge_request.cpp; any account may publish there). Input: a payload for the "info" request; or a
// request name, a NUL byte and a payload.
// Invariants besides ASan/UBSan: nothing throws; every request gets a response the hub can publish (its strict
// dump() succeeds); a rejection quotes at most a short prefix of the request; exactly a known name with a
// well-formed payload (empty, or an object with only a valid "transaction") is answered with "ok": true and
// echoes the transaction.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "bridge_request.hpp"
#include "hepek/json_limits.hpp"
#include "hepek/testing/fuzz_check.hpp"

using hepek::core::BridgeRequest;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = hepek::testing::split_input(data, size);
  const std::string_view name = input.second ? input.first : std::string_view("info");
  const std::string_view payload = input.second ? *input.second : input.whole;

  const BridgeRequest request = hepek::core::parse_bridge_request(name, payload);
  const nlohmann::json answer{{"plugins", nlohmann::json::array()}};
  const nlohmann::json response = hepek::core::bridge_response(request, answer);
  HEPEK_FUZZ_CHECK(hepek::testing::dumps_strictly(response), "the hub can publish every bridge response");
  HEPEK_FUZZ_CHECK(response.contains("ok") && response["ok"].is_boolean(), "every response says ok or not");
  if (!response["ok"].get<bool>()) {
    HEPEK_FUZZ_CHECK(response["error"].is_string(), "a rejection has an error text");
    HEPEK_FUZZ_CHECK(response["error"].get<std::string>().size() <= 600, "a rejection quotes a short prefix");
  }
  const bool known = name == "plugins" || name == "health" || name == "info";
  const auto parsed = hepek::json_limits::parse_limited(payload.empty() ? std::string_view("{}") : payload);
  // The contract's request: an object whose only member is an optional "transaction", a non-empty string of at
  // most 256 bytes or an integer.
  const auto valid_transaction = [](const nlohmann::json& t) {
    return (t.is_string() && !t.get_ref<const std::string&>().empty() &&
            t.get_ref<const std::string&>().size() <= 256) ||
           t.is_number_integer();
  };
  const bool well_formed = parsed && parsed->is_object() &&
                           (parsed->empty() || (parsed->size() == 1 && parsed->contains("transaction") &&
                                                valid_transaction((*parsed)["transaction"])));
  HEPEK_FUZZ_CHECK(response["ok"].get<bool>() == (known && well_formed),
                   "exactly a known, well-formed request is answered ok");
  if (known && well_formed && parsed->contains("transaction"))
    HEPEK_FUZZ_CHECK(response["transaction"] == (*parsed)["transaction"], "the transaction is echoed");
  return 0;
}
