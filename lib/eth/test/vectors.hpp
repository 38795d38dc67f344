// Loads the published Ethereum test vectors committed next to the tests (test/vectors/ethereum.json).
#pragma once

#include <nlohmann/json.hpp>

namespace hepek::eth::test {

// The parsed vectors file; throws std::runtime_error if it cannot be found or parsed.
const nlohmann::json& vectors();

}  // namespace hepek::eth::test
