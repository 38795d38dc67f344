// libFuzzer target: the ergon plugin's operator-link messages (wire.hpp, signed_tariff.hpp): a balance proof as
// the operator reads it from serenity/<device-id>/proof (proof_from_json) and the operator's signed tariff as a
// member reads it from serenity/broadcast/tariff (SignedTariff::from_json), on the same bytes.
// Invariants besides ASan/UBSan: both readers throw only std::invalid_argument naming the field (their
// contract); a proof that reads survives proof_to_json() unchanged; a tariff that reads survives to_json()
// with the same signed text and signature, and once signed with the operator key verifies, still verifies after
// the round trip, and fails to verify with any other price.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "hepek/json_limits.hpp"
#include "hepek/testing/fuzz_check.hpp"
#include "signed_tariff.hpp"
#include "wire.hpp"

namespace hg = hepek::ergon;
namespace he = hepek::eth;

namespace {

void check_proof(const nlohmann::json& json) {
  hg::SignedProof proof;
  try {
    proof = hg::proof_from_json(json);
  } catch (const std::invalid_argument&) {
    return;
  }
  const hg::SignedProof again = hg::proof_from_json(hg::proof_to_json(proof));
  HEPEK_FUZZ_CHECK(again.proof.channel_id == proof.proof.channel_id &&
                       again.proof.cumulative_amount == proof.proof.cumulative_amount &&
                       again.proof.cumulative_import_wh == proof.proof.cumulative_import_wh &&
                       again.proof.cycle == proof.proof.cycle && again.signature == proof.signature,
                   "a balance proof survives its JSON form");
}

void check_tariff(const nlohmann::json& json) {
  hg::SignedTariff tariff;
  try {
    tariff = hg::SignedTariff::from_json(json);
  } catch (const std::invalid_argument&) {
    return;
  }
  const hg::SignedTariff again = hg::SignedTariff::from_json(nlohmann::json::parse(tariff.to_json().dump()));
  HEPEK_FUZZ_CHECK(again.message_text() == tariff.message_text() && again.signature == tariff.signature,
                   "a signed tariff survives its JSON form");
  static const auto key =  // anvil's development account 0
      he::PrivateKey::from_hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  tariff.sign(key);
  HEPEK_FUZZ_CHECK(tariff.verify(key.address()).empty(), "a signed tariff verifies");
  const hg::SignedTariff read_back =
      hg::SignedTariff::from_json(nlohmann::json::parse(tariff.to_json().dump()));
  HEPEK_FUZZ_CHECK(read_back.verify(key.address()).empty(), "it still verifies after a round trip");
  tariff.base_units_per_kwh += 1;
  HEPEK_FUZZ_CHECK(!tariff.verify(key.address()).empty(), "another price does not verify");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  if (!hepek::json_limits::check(payload)) return 0;  // the hub drops these before the plugin sees them
  const auto json = nlohmann::json::parse(payload, nullptr, false);
  check_proof(json);
  check_tariff(json);
  return 0;
}
